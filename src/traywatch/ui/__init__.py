"""The desktop layer: the only package that imports PySide6 or qasync."""
