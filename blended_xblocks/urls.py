"""Views of our own, mounted under `blended/` in the LMS (plugin `url_config` in apps.py) and in the demo."""
from django.urls import path

from blended_xblocks import downloads

app_name = "blended_xblocks"

urlpatterns = [
    path("downloads/<str:ticket>/", downloads.download, name="download"),
]
