"""traywatch: are the platforms I depend on healthy, and is it them or me?"""

__version__ = "0.1.0"
