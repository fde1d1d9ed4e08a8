"""Issue or revoke an Open311 partner key.

manage.py open311_key create "恩施市12345热线" [--county 422801]   # prints the key once
manage.py open311_key revoke "恩施市12345热线"
manage.py open311_key list
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shequ.open311.actions import do_issue_partner_key, do_revoke_partner_key
from shequ.open311.models import PartnerKey
from shequ.orgs.models import OrgUnit, UnitKind


class Command(BaseCommand):
    help = "Issue (create), revoke or list Open311 partner keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="issue a key; it is printed once")
        create.add_argument("name")
        create.add_argument("--county", help="6-digit county code, e.g. 422801")
        revoke = sub.add_parser("revoke", help="switch a key off")
        revoke.add_argument("name")
        sub.add_parser("list", help="list keys (prefixes only)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verb"] == "create":
                county = None
                if options["county"]:
                    county = OrgUnit.objects.filter(
                        kind=UnitKind.COUNTY, code=f"{options['county']}000000"
                    ).first()
                    if county is None:
                        raise CommandError(f"no county with code {options['county']}")
                partner, key = do_issue_partner_key(None, name=options["name"], county=county)
                self.stdout.write(key)
                self.stderr.write(
                    f"Issued {partner.name!r} ({partner.prefix}…). The key is shown only now."
                )
            elif options["verb"] == "revoke":
                found = PartnerKey.objects.filter(name=options["name"]).first()
                if found is None:
                    raise CommandError(f"no partner key named {options['name']!r}")
                do_revoke_partner_key(None, found)
                self.stdout.write(f"Revoked {found.name!r}.")
            else:
                for partner in PartnerKey.objects.select_related("county"):
                    state = "active" if partner.active else "revoked"
                    county = partner.county.short_code if partner.county else "all"
                    self.stdout.write(f"{partner.prefix}…\t{state}\t{county}\t{partner.name}")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
