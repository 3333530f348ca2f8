"""Floor 4, what a person reads: the nl/en texts in one place, number formats, tables, figures and
the board report.
"""
