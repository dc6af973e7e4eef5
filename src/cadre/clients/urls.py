from django.urls import path

from cadre.clients import views

urlpatterns = [
    path("clients/", views.client_list, name="client-list"),
    path("clients/<int:pk>/", views.client_detail, name="client-detail"),
]
