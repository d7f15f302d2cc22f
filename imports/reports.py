"""An import's report in words, for the command's output; the admin's pages show the same
report as tables."""

# The counts in the order a curator reads them, with what each one says.
COUNTS = (
    ("rows", "rows read"),
    ("sources created", "sources created"),
    ("sources updated", "sources updated"),
    ("sources unchanged", "sources unchanged"),
    ("subjects matched", "names matched to subjects"),
    ("subjects created", "subjects created (unpublished)"),
    ("claims created", "claims created"),
    ("citations of new claims", "citations of new claims"),
    ("citations added to existing claims", "citations added to existing claims"),
    ("citations unchanged", "citations already there, unchanged"),
    ("citations for a reviewer", "citations of settled claims, left for a reviewer"),
    ("rows left alone", "rows of claims a reviewer has changed or rejected, left alone"),
    ("claims in a dispute", "claims that are in a dispute"),
)


# How a name of the file found its subject, in words (``Match.tier`` and the other ways).
HOW = {
    "slug": "its slug",
    "chosen": "your choice",
    "exact": "the very name",
    "words": "every word",
    "prefix": "the starts of words",
    "tolerant": "spelt another way",
}


def matched(report):
    """The names a report matched, each with ``how_words``."""
    return [
        {**item, "how_words": HOW.get(item["how"], item["how"])}
        for item in report.get("matched", [])
    ]


def counted(report):
    """[(what, number)] of the counts a report holds, in reading order."""
    counts = report.get("counts", {})
    return [(words, counts[key]) for key, words in COUNTS if counts.get(key)]


def summary(report):
    """The report as lines of text."""
    lines = [f"{number:>8}  {words}" for words, number in counted(report)]
    for item in report.get("matched", []):
        if item["how"] != "slug":
            lines.append(
                f"Matched: “{item['name']}” → {item['label']} ({item['slug']}), "
                f"by the name “{item['matched_name']}”"
            )
    for item in report.get("created", []):
        lines.append(f"Created: {item['type']} “{item['name']}” ({item['kind']}, {item['slug']})")
    for item in report.get("added", []):
        lines.append(
            f"Citation added to claim {item['pk']} “{item['claim']}” from {item['source']}"
        )
    for item in report.get("disputes", []):
        lines.append(f"In a dispute: claim {item['pk']} “{item['claim']}”")
    for item in report.get("to_confirm", []):
        candidates = "; ".join(
            f"{c['slug']} ({c['label']}, by “{c['matched_name']}”)" for c in item["candidates"]
        )
        lines.append(f"To choose: {item['where']}: “{item['name']}” {item['why']}: {candidates}")
    for text in report.get("left_alone", []):
        lines.append(f"Left as it is: {text}")
    for text in report.get("needs_reviewer", []):
        lines.append(f"For a reviewer: {text}")
    for text in report.get("errors", []):
        lines.append(f"Error: {text}")
    return lines
