"""Floor 3, what is concluded: summaries, the business-case table, sensitivity analyses and
sharing rules. xarray in, xarray (or plain numbers) out; no text for people (that is
``simsav.present``).
"""
