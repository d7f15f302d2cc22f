import json
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from sources.review.checks import ERROR, run_checks, summarize


class Command(BaseCommand):
    help = (
        "Run the consistency checks over the whole database and list what to fix (errors) "
        "and what to look at (warnings). Exits with status 1 when there are errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the findings as JSON.")

    def handle(self, *args, **options):
        findings = run_checks()
        counts = summarize(findings)
        if options["json"]:
            report = {**counts, "findings": [finding.as_dict() for finding in findings]}
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            for finding in findings:
                style = self.style.ERROR if finding.level == ERROR else self.style.WARNING
                self.stdout.write(
                    f"{style(f'{finding.level.upper():<7}')} [{finding.code}] {finding.message}"
                )
                self.stdout.write(f"        {finding.url}")
            by_code = Counter(finding.code for finding in findings)
            if by_code:
                self.stdout.write(
                    "By check: " + ", ".join(f"{code} {n}" for code, n in sorted(by_code.items()))
                )
            self.stdout.write(f"{counts['errors']} error(s), {counts['warnings']} warning(s).")
        if counts["errors"]:
            raise CommandError(f"The checks found {counts['errors']} error(s).")
