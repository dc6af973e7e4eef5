from django.urls import path

from cadre.pipeline import views

urlpatterns = [
    path("applications/<int:pk>/move/", views.application_move, name="application-move"),
    path("requisitions/<int:pk>/candidates/", views.application_candidates, name="application-candidates"),
    path("requisitions/<int:pk>/applications/", views.application_create, name="application-create"),
    path("people/<int:pk>/notes/", views.person_note, name="person-note"),
]
