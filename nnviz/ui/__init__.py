"""The Qt application: document, views and main window. Imported only when the app starts."""
