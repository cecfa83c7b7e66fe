"""traywatch: are the platforms I depend on healthy, and is it them or me?"""

__version__ = "0.1.0"

# The one application ID: desktop file, icon, AppStream id, Qt's desktop file name,
# notifications' desktop-entry hint, the macOS bundle and the Windows AppUserModelID.
APP_ID = "io.github.traywatch.Traywatch"
