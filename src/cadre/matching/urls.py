from django.urls import path

from cadre.matching import views

urlpatterns = [
    path("requisitions/<int:pk>/matches/", views.requisition_matches, name="requisition-matches"),
    path("requisitions/<int:pk>/matches/add/", views.requisition_match_add, name="requisition-match-add"),
    path("people/<int:pk>/matches/", views.person_matches, name="person-matches"),
    path("people/<int:pk>/preferences/", views.person_preferences, name="person-preferences"),
    path("people/<int:pk>/preferences/card/", views.person_preferences_card, name="person-preferences-card"),
    path("matching/", views.matching_home, name="matching-home"),
    path("matching/text/", views.text_matches, name="matching-text"),
    path("matching/searches/", views.saved_search_list, name="matching-searches"),
    path("matching/searches/new/", views.search_save, name="matching-search-save"),
    path("matching/searches/<int:pk>/delete/", views.saved_search_delete, name="matching-search-delete"),
    path("matching/pools/", views.pool_list, name="matching-pools"),
    path("matching/pools/members/", views.pool_member_add, name="matching-pool-add"),
    path("matching/pools/<int:pk>/", views.pool_detail, name="matching-pool-detail"),
    path(
        "matching/pools/<int:pk>/members/<int:person_id>/remove/",
        views.pool_member_remove,
        name="matching-pool-remove",
    ),
]
