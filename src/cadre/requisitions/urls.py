from django.urls import path

from cadre.requisitions import views

urlpatterns = [
    path("requisitions/", views.requisition_list, name="requisition-list"),
    path("requisitions/new/", views.requisition_create, name="requisition-create"),
    path("requisitions/<int:pk>/", views.requisition_detail, name="requisition-detail"),
    path("requisitions/<int:pk>/edit/", views.requisition_edit, name="requisition-edit"),
]
