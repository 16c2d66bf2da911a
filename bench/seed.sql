-- Seed the benchmark database: :users users with :tasks_per_user tasks each.
--
-- Run by bench/run.py on a freshly migrated, empty database, with psql's variables
-- :users, :tasks_per_user and :'password_hash' filled in (bench/run.py seed_sql(); the
-- test suite runs it too, in todoproject/tests/test_bench_seed.py).
-- One INSERT ... SELECT per table (no ORM row by row). Tasks are inserted in creation
-- order across all users, as a live site writes them, so one user's rows are scattered
-- over the whole table rather than stored together. random() is seeded: every run seeds
-- the same data.
SELECT setseed(0.42);

-- Every user shares one password hash, computed once by Django (BCryptSHA256).
INSERT INTO users (email, password_hash, created_at, is_active, is_staff, is_superuser)
SELECT 'user' || g || '@bench.example', :'password_hash',
       now() - interval '3 years' + g * interval '1 minute', true, false, false
FROM generate_series(1, :users) AS g
ORDER BY g;

-- A small user (a handful of tasks) shows that queries per request do not grow with
-- the number of tasks.
INSERT INTO users (email, password_hash, is_active, is_staff, is_superuser)
VALUES ('small@bench.example', :'password_hash', true, false, false);

-- g = 0 is the oldest task, one task a minute over about two years (1M tasks) with
-- seconds of jitter. The older a task, the likelier it is completed; about 30 % have no
-- due date, 40 % no description; due dates fall from 10 days before to 60 days after
-- creation, so open tasks created long ago are overdue.
WITH bounds AS (
    SELECT :users::int AS n_users, (:users::bigint * :tasks_per_user) AS n_tasks,
           (SELECT min(id) FROM users) AS first_id
),
rows AS (
    SELECT b.first_id + (g % b.n_users) AS user_id,
           g / b.n_users AS seq,
           g::float8 / b.n_tasks AS recency,
           now() - (b.n_tasks - g) * interval '1 minute'
                 - random() * interval '30 seconds' AS created_at
    FROM bounds b, generate_series(0, (SELECT n_tasks - 1 FROM bounds)) AS g
),
shaped AS (
    SELECT r.*,
           CASE
               WHEN random() < 0.85 - 0.7 * r.recency THEN 'completed'
               WHEN random() < 0.4 THEN 'in_progress'
               ELSE 'pending'
           END AS status
    FROM rows r
)
INSERT INTO tasks (user_id, title, description, status, due_date, created_at, updated_at)
SELECT s.user_id,
       (ARRAY['Pay', 'Call', 'Buy', 'Write', 'Review', 'Fix', 'Plan', 'Book'])
           [1 + floor(random() * 8)::int]
       || ' '
       || (ARRAY['rent', 'the bank', 'groceries', 'report', 'pull request', 'bike',
                 'holiday', 'dentist', 'invoice', 'slides'])[1 + floor(random() * 10)::int]
       || ' #' || s.seq,
       CASE WHEN random() < 0.4 THEN NULL
            ELSE 'Notes for task ' || s.seq || repeat(' and more detail', floor(random() * 8)::int)
       END,
       s.status,
       CASE WHEN random() < 0.3 THEN NULL
            ELSE s.created_at::date + floor(random() * 70)::int - 10
       END,
       s.created_at,
       LEAST(now(), s.created_at + random() * interval '3 days')
FROM shaped s;

INSERT INTO tasks (user_id, title, status, created_at, updated_at)
SELECT u.id, 'Small task ' || g, 'pending', now() - g * interval '1 hour',
       now() - g * interval '1 hour'
FROM users u, generate_series(1, 5) AS g
WHERE u.email = 'small@bench.example';
