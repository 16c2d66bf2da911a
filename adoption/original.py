"""What the original application's database looks like (SQLModel's DDL, see README)."""

#: The columns of the original tables.
ORIGINAL_COLUMNS = {
    "users": ("id", "email", "password_hash", "created_at"),
    "tasks": (
        "id",
        "user_id",
        "title",
        "description",
        "status",
        "due_date",
        "created_at",
        "updated_at",
    ),
}

#: How the original application's password hashes begin: raw bcrypt (passlib), with no
#: algorithm name in front as Django's hashes have.
BCRYPT_HASH_PREFIXES = ("$2a$", "$2b$", "$2y$")
