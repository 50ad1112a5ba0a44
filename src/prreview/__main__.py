"""``prreview`` and ``python -m prreview``: ``review PATCH`` reviews a diff
(prreview.review.cli); anything else runs the Kedro project as ``kedro run`` does.
"""

import sys
from pathlib import Path
from typing import Any


def main(*args, **kwargs) -> Any:
    if not args and sys.argv[1:2] == ["review"]:
        from prreview.review.cli import main as review  # noqa: PLC0415

        sys.exit(review(sys.argv[2:]))
    # imported here: importing kedro's project module configures logging on stdout,
    # which must not reach the review command's JSON
    from kedro.framework.cli.utils import find_run_command  # noqa: PLC0415
    from kedro.framework.project import configure_project  # noqa: PLC0415

    package_name = Path(__file__).parent.name
    configure_project(package_name)

    interactive = hasattr(sys, "ps1")
    kwargs["standalone_mode"] = not interactive

    run = find_run_command(package_name)
    return run(*args, **kwargs)


if __name__ == "__main__":
    main()
