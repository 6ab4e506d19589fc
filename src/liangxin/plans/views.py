from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import plans_visible_to


@login_required
def home(request):
    return render(request, "plans/home.html", {"plans": plans_visible_to(request.user)})
