"""Is this connection MariaDB (not MySQL)? Used by the demo's edx-submissions workaround."""


def is_mariadb(connection) -> bool:
    if connection.vendor != "mysql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT VERSION()")
        return "mariadb" in cursor.fetchone()[0].lower()
