from django.contrib import admin
from django.urls import include, path

from cadre.api.routes import api

admin.site.site_header = "Cadre back office"
admin.site.site_title = "Cadre"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("cadre.web.urls")),
]
