from django.urls import path

from cadre.sourcing import views

urlpatterns = [
    path("import/", views.import_page, name="import"),
]
