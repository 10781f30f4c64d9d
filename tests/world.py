"""Rows the URL matrix needs beyond the personas; each app adds its own."""


def build(world: dict) -> dict:
    return {}
