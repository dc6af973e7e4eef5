from django.urls import path

from cadre.resolution import views

urlpatterns = [
    path("dedup/", views.review_queue, name="dedup-queue"),
    path("dedup/candidates/<int:pk>/merge/", views.candidate_merge, name="dedup-merge"),
    path("dedup/candidates/<int:pk>/reject/", views.candidate_reject, name="dedup-reject"),
    path("dedup/merges/<int:pk>/unmerge/", views.merge_undo, name="dedup-unmerge"),
]
