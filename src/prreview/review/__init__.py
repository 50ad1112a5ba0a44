"""Review a diff with a (fine-tuned) model and score reviews against human ones.

``inference``: prompts, generation through any chat backend, reading replies.
``anchors``: every comment on a line the diff shows, or repaired, or dropped.
``rank``: the filter's classifier keeps the best comments. ``metrics``,
``evaluation``, ``slices``: location and BERTScore numbers. ``gate``: approve or
reject a candidate adapter. ``report``: the markdown report and its figures.
"""
