"""The governance forms' field partial: a hidden field is only its input (no label left
floating above the button), radio choices sit side by side, each with its own label."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    client_token = forms.CharField(widget=forms.HiddenInput, initial="t-1")
    decision = forms.ChoiceField(
        label="审核意见", choices=[("approve", "同意公开"), ("return", "退回修改")],
        widget=forms.RadioSelect,
    )  # fmt: skip


def test_hidden_fields_have_no_label_and_radios_are_inline() -> None:
    html = render_to_string("governance/_fields.html", {"fields": _Form()})
    assert 'type="hidden" name="client_token"' in html
    assert "Client token" not in html
    assert html.count('class="form-check form-check-inline"') == 2
    assert '<label class="form-check-label" for="id_decision_0">同意公开</label>' in html
