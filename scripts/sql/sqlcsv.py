"""The CSV field format the pushdown scripts write: what Faultline's SQL result reader and PostgreSQL's COPY expect."""


def field(value) -> str:
    """NULL as nothing, text quoted (quotes doubled, so an empty string stays apart from NULL), floats as repr
    (shortest round-trip digits), flags as true/false, everything else as str."""
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
