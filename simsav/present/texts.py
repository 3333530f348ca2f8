"""Every text simsav shows a person, in Dutch and English, in one place.

``TEXTS[section][key]`` holds a text in both languages side by side, ``{"en": ..., "nl": ...}``
(with ``{placeholders}``), so a translation sits next to what it translates; :func:`section`
returns a section per language (``{"en": {key: text}, "nl": {key: text}}``) and :func:`text`
one formatted text. A test checks that every text has both languages with the same placeholders.
Words for the figures, the report, the sharing rules and the notices (warnings) live here;
the numbers' formats are in :mod:`simsav.present.formats`.
"""

from __future__ import annotations

LANGS = ("en", "nl")

TEXTS = {
    "figures": {
        "eur": {"en": "EUR", "nl": "EUR"},
        "all_parties": {"en": "All parties", "nl": "Alle partijen"},
        "month_axis": {
            "en": "months since the start (month 0 = {start})",
            "nl": "maanden sinds de start (maand 0 = {start})",
        },
        "cum_net": {"en": "cumulative net", "nl": "cumulatief netto resultaat"},
        "fan_title": {
            "en": "Cumulative net per party: median, 50% and 90% bands",
            "nl": "Cumulatief netto resultaat per partij: mediaan, 50%- en 90%-band",
        },
        "fan_title_base": {
            "en": "Cumulative net per party (base case)",
            "nl": "Cumulatief netto resultaat per partij (basisscenario)",
        },
        "median": {"en": "median", "nl": "mediaan"},
        "band50": {"en": "50% of the draws", "nl": "50% van de scenario's"},
        "band90": {"en": "90% of the draws", "nl": "90% van de scenario's"},
        "break_even": {"en": "break-even", "nl": "terugverdiend"},
        "be_note": {
            "en": "break-even month {m:.0f} (median; {p} of the draws break even)",
            "nl": "terugverdiend in maand {m:.0f} (mediaan; {p} van de scenario's verdient terug)",
        },
        "be_later": {
            "en": "break-even: later than {h} months in most draws ({p} break even)",
            "nl": "terugverdiend: in de meeste scenario's later dan {h} maanden ({p} verdient terug)",
        },
        "be_note_base": {"en": "break-even month {m:.0f}", "nl": "terugverdiend in maand {m:.0f}"},
        "be_never": {"en": "no break-even within {h} months", "nl": "niet terugverdiend binnen {h} maanden"},
        "net_axis": {
            "en": "net over the horizon (savings - costs)",
            "nl": "netto resultaat over de looptijd (besparingen - kosten)",
        },
        "net_title": {
            "en": "Net per party over {h} months: how sure are we?",
            "nl": "Netto resultaat per partij over {h} maanden: hoe zeker is het?",
        },
        "p_positive": {"en": "P(net > 0) = {p}", "nl": "P(netto > 0) = {p}"},
        "band_legend": {"en": "median and 5-95% of the draws", "nl": "mediaan en 5-95% van de scenario's"},
        "ecdf_title": {
            "en": "When does each party break even?",
            "nl": "Wanneer verdient elke partij haar investering terug?",
        },
        "ecdf_axis": {"en": "share of the draws broken even", "nl": "aandeel scenario's terugverdiend"},
        "ecdf_month_axis": {"en": "month (0 = {start})", "nl": "maand (0 = {start})"},
        "costs": {"en": "costs", "nl": "kosten"},
        "savings": {"en": "savings", "nl": "besparingen"},
        "bars_title": {
            "en": "Costs and savings per party, by item (mean over the draws)",
            "nl": "Kosten en besparingen per partij, per post (gemiddelde over de scenario's)",
        },
        "bars_title_base": {
            "en": "Costs and savings per party, by item (base case)",
            "nl": "Kosten en besparingen per partij, per post (basisscenario)",
        },
        "bars_axis": {"en": "over {h} months", "nl": "over {h} maanden"},
        "occ_title": {
            "en": "Who is where at month {m} ({date}): simulated vs observed",
            "nl": "Wie is waar in maand {m} ({date}): gesimuleerd en waargenomen",
        },
        "observed": {"en": "observed", "nl": "waargenomen"},
        "simulated": {
            "en": "simulated (mean, 5-95% of the draws)",
            "nl": "gesimuleerd (gemiddelde, 5-95% van de scenario's)",
        },
        "simulated_base": {"en": "simulated (base case)", "nl": "gesimuleerd (basisscenario)"},
        "people": {"en": "people", "nl": "personen"},
        "not_modelled": {"en": "not modelled: {what}", "nl": "niet gemodelleerd: {what}"},
        "states": {
            "waiting": {"en": "waiting for intake", "nl": "wacht op intake"},
            "mediation": {"en": "in mediation", "nl": "in bemiddeling"},
            "working": {"en": "working", "nl": "aan het werk"},
            "on_hold": {"en": "on hold", "nl": "gepauzeerd"},
            "dropped_out": {"en": "dropped out", "nl": "uitgevallen"},
            "other": {"en": "other", "nl": "overige"},
        },
    },
    "sensitivity_figures": {
        "low": {"en": "parameter at its low value", "nl": "aanname op haar lage waarde"},
        "high": {"en": "parameter at its high value", "nl": "aanname op haar hoge waarde"},
        "tornado_axis": {
            "en": "net over the horizon (base case)",
            "nl": "netto resultaat over de looptijd (basisscenario)",
        },
        "tornado_title": {
            "en": "{party}: net {net} in the base case",
            "nl": "{party}: netto {net} in het basisscenario",
        },
        "nothing_moves": {
            "en": "no uncertain parameter moves this net",
            "nl": "geen onzekere aanname verandert dit resultaat",
        },
        "sobol_axis": {
            "en": "Sobol index ({level} bootstrap interval)",
            "nl": "Sobol-index ({level}-bootstrapinterval)",
        },
        "total": {"en": "total", "nl": "totaal"},
        "first": {"en": "first-order", "nl": "eerste orde"},
        "noise": {
            "en": "; cohort noise {share} of a cohort's variance",
            "nl": "; toeval in de groep: {share} van de variantie",
        },
        "threshold_axis": {"en": "{parameter} (grey: base value)", "nl": "{parameter} (grijs: basiswaarde)"},
        "net_axis": {"en": "net over the horizon", "nl": "netto resultaat over de looptijd"},
        "threshold_title": {
            "en": "mean and {low}-{high} band of {draws} draws; dashed: base case",
            "nl": "gemiddelde en {low}-{high}-band van {draws} scenario's; gestreept: basisscenario",
        },
        "parameter_share": {
            "en": "parameter uncertainty (better data narrows it)",
            "nl": "onzekerheid in de aannames (betere gegevens verkleinen haar)",
        },
        "cohort_share": {
            "en": "cohort variability (a bigger pilot narrows it per participant)",
            "nl": "toeval in de groep (een grotere pilot verkleint haar per deelnemer)",
        },
        "variance_axis": {
            "en": "share of the variance of net",
            "nl": "aandeel in de variantie van het netto resultaat",
        },
        "sd": {"en": "sd", "nl": "sd"},
        "all_parties": {"en": "All parties", "nl": "Alle partijen"},
    },
    "sharing_figures": {
        "before": {"en": "no transfers", "nl": "zonder verdeling"},
        "net_axis": {"en": "net over the horizon", "nl": "netto resultaat over de looptijd"},
        "title": {
            "en": "net per party before and after each rule, settled {settle}",
            "nl": "netto resultaat per partij voor en na elke verdeelregel, afgerekend {settle}",
        },
        "whiskers": {
            "en": "bars: mean, whiskers: 5-95% of the draws",
            "nl": "staaf: gemiddelde, lijnen: 5-95% van de scenario's",
        },
        "rules": {
            "costs_follow_benefits": {"en": "costs follow benefits", "nl": "kosten volgen baten"},
            "equal_return": {"en": "equal return", "nl": "gelijk rendement"},
            "outcome_payments": {"en": "outcome payments", "nl": "betalen per resultaat"},
            "fixed_split": {"en": "fixed split", "nl": "vaste verdeling"},
            "agreement": {"en": "agreement", "nl": "afspraak uit de config"},
        },
        "settle": {
            "ex-ante": {"en": "ex ante", "nl": "vooraf (ex ante)"},
            "ex-post": {"en": "ex post", "nl": "achteraf (ex post)"},
        },
    },
    "report": {
        "subtitle": {"en": "Report for the board", "nl": "Rapportage voor het bestuur"},
        "run": {
            "en": (
                "{draws} scenarios (seed {seed}) of {agents} participants over {h} months from {start}. Amounts "
                "in euros over the whole horizon{disc}."
            ),
            "nl": (
                "{draws} scenario's (seed {seed}) van {agents} deelnemers over {h} maanden vanaf {start}. "
                "Bedragen in euro's over de hele looptijd{disc}."
            ),
        },
        "run_base": {
            "en": "Base case (point values) of {agents} participants over {h} months from {start}.",
            "nl": "Basisscenario (vaste waarden) van {agents} deelnemers over {h} maanden vanaf {start}.",
        },
        "discounted": {"en": ", discounted", "nl": ", contant gemaakt"},
        "key_title": {"en": "Key figures per party", "nl": "Kerncijfers per partij"},
        "key_intro": {
            "en": (
                "Each scenario draws the uncertain assumptions anew and simulates the group of participants. "
                "'Expected' is the mean over the scenarios; the break-even month is the median over all "
                "scenarios, a scenario in which the party does not break even within the horizon counted as later."
            ),
            "nl": (
                "Elk scenario trekt de onzekere aannames opnieuw en simuleert de groep deelnemers. 'Verwacht' is "
                "het gemiddelde over de scenario's; de terugverdienmaand is de mediaan over alle scenario's, "
                "waarbij een scenario dat binnen de looptijd niet terugverdient als later telt."
            ),
        },
        "invests_saves": {
            "en": "{name} invests {costs} and is expected to save {savings}",
            "nl": "{name} investeert {costs} en bespaart naar verwachting {savings}",
        },
        "invests_nothing": {
            "en": "{name} invests nothing and is expected to save {savings}",
            "nl": "{name} investeert niets en bespaart naar verwachting {savings}",
        },
        "saves_nothing": {
            "en": (
                "{name} invests {costs} and saves nothing itself: without an agreement to share the savings it "
                "does not earn its investment back."
            ),
            "nl": (
                "{name} investeert {costs} en bespaart zelf niets: zonder afspraken over het delen van de "
                "besparingen verdient zij haar investering niet terug."
            ),
        },
        "be_some": {
            "en": "; in {p} of the scenarios it earns its investment back, in half of them within {m} months.",
            "nl": "; in {p} van de scenario's verdient zij haar investering terug, in de helft binnen {m} maanden.",
        },
        "be_later": {
            "en": "; in {p} of the scenarios it earns its investment back, but in most not within {h} months.",
            "nl": "; in {p} van de scenario's verdient zij haar investering terug, in de meeste niet binnen {h} maanden.",
        },
        "be_now": {
            "en": "; in {p} of the scenarios it earns its investment back, mostly from the very first month.",
            "nl": ("; in {p} van de scenario's verdient zij haar investering terug, meestal al vanaf de eerste maand."),
        },
        "be_never": {
            "en": "; within {h} months it does not earn its investment back in any scenario.",
            "nl": "; binnen {h} maanden verdient zij haar investering in geen enkel scenario terug.",
        },
        "band": {
            "en": "In 90% of the scenarios its net result lies between {low} and {high}.",
            "nl": "Het netto resultaat ligt in 90% van de scenario's tussen {low} en {high}.",
        },
        "band_fixed": {
            "en": "Its net result is {net} in every scenario.",
            "nl": "Het netto resultaat is {net} in elk scenario.",
        },
        "total": {
            "en": (
                "All parties together invest {costs} and are expected to save {savings}: every euro invested "
                "returns {sroi} (SROI, median; between {sroi_low} and {sroi_high} in 90% of the scenarios)."
            ),
            "nl": (
                "Alle partijen samen investeren {costs} en besparen naar verwachting {savings}: elke "
                "geïnvesteerde euro levert {sroi} op (SROI, mediaan; in 90% van de scenario's tussen {sroi_low} "
                "en {sroi_high})."
            ),
        },
        "p_all": {
            "en": "In {p} of the scenarios every party gains without any sharing.",
            "nl": "In {p} van de scenario's houden alle partijen er zonder verdeling iets aan over.",
        },
        "table_party": {"en": "party", "nl": "partij"},
        "table_costs": {"en": "costs (expected)", "nl": "kosten (verwacht)"},
        "table_savings": {"en": "savings (expected)", "nl": "besparingen (verwacht)"},
        "table_net": {"en": "net: median [5% .. 95%]", "nl": "netto: mediaan [5% .. 95%]"},
        "table_p": {"en": "P(net > 0)", "nl": "kans netto > 0"},
        "table_be": {"en": "break-even month (median)", "nl": "terugverdiend na (maanden, mediaan)"},
        "table_be_share": {"en": "breaks even within the horizon", "nl": "terugverdiend binnen looptijd"},
        "all_parties": {"en": "All parties", "nl": "Alle partijen"},
        "fan_title": {"en": "Over time", "nl": "Verloop over de tijd"},
        "fan_caption": {
            "en": (
                "Cumulative net (savings minus costs up to that month) per party. The line is the median, the "
                "dark band holds half of the scenarios, the light band 90%. The dot on the zero line marks the "
                "break-even month (the median over all scenarios)."
            ),
            "nl": (
                "Cumulatief netto resultaat (besparingen min kosten tot en met die maand) per partij. De lijn is "
                "de mediaan, de donkere band bevat de helft van de scenario's, de lichte band 90%. De stip "
                "op de nullijn markeert de terugverdienmaand (de mediaan over alle scenario's)."
            ),
        },
        "bars_title": {"en": "Where the costs and savings are", "nl": "Waar de kosten en besparingen zitten"},
        "bars_caption": {
            "en": "Costs and savings per party, by item: mean over the scenarios.",
            "nl": "Kosten en besparingen per partij, per post: gemiddelde over de scenario's.",
        },
        "drivers_title": {"en": "Which assumptions matter most", "nl": "Welke aannames tellen het zwaarst"},
        "drivers_tornado": {
            "en": (
                "Each uncertain assumption on its own at its 5th and 95th percentile, the others at their base "
                "values: how much does the net of all parties together move?"
            ),
            "nl": (
                "Elke onzekere aanname apart op haar 5e en 95e percentiel, de andere op hun basiswaarde: hoeveel "
                "verandert het netto resultaat van alle partijen samen?"
            ),
        },
        "drivers_items": {
            "en": "This config has no uncertain assumptions; these are the largest items (mean over the scenarios).",
            "nl": (
                "Deze config heeft geen onzekere aannames; dit zijn de grootste posten (gemiddelde over de scenario's)."
            ),
        },
        "drv_parameter": {"en": "assumption", "nl": "aanname"},
        "drv_range": {"en": "low .. high", "nl": "laag .. hoog"},
        "drv_net_low": {"en": "net at low", "nl": "netto bij laag"},
        "drv_net_high": {"en": "net at high", "nl": "netto bij hoog"},
        "drv_swing": {"en": "swing", "nl": "verschil"},
        "drv_item": {"en": "item", "nl": "post"},
        "drv_party": {"en": "party", "nl": "partij"},
        "drv_kind": {"en": "kind", "nl": "soort"},
        "drv_amount": {"en": "amount", "nl": "bedrag"},
        "kind_cost": {"en": "cost", "nl": "kosten"},
        "kind_saving": {"en": "saving", "nl": "besparing"},
        "sharing_title": {"en": "Sharing the savings", "nl": "Verdeling van de besparingen"},
        "sharing_caption": {
            "en": (
                "Net per party without sharing and after each sharing rule, settled afterwards on the realised "
                "outcomes (ex post): expected value and chance of a loss."
            ),
            "nl": (
                "Netto resultaat per partij zonder verdeling en na elke verdeelregel, afgerekend achteraf op de "
                "werkelijke uitkomsten (ex post): verwachting en kans op verlies."
            ),
        },
        "sharing_none": {"en": "No sharing rules computed: {why}", "nl": "Geen verdeelregels berekend: {why}"},
        "sh_party": {"en": "party", "nl": "partij"},
        "sh_before": {"en": "no sharing", "nl": "zonder verdeling"},
        "sh_mean": {"en": "expected", "nl": "verwacht"},
        "sh_loss": {"en": "P(loss)", "nl": "kans op verlies"},
        "assumptions_title": {"en": "Assumptions and sources", "nl": "Aannames en bronnen"},
        "assumptions_intro": {
            "en": (
                "Every uncertain assumption with its distribution, its base-case value, the range 90% of the "
                "draws fall in, and the source the config gives."
            ),
            "nl": (
                "Elke onzekere aanname met haar kansverdeling, de waarde in het basisscenario, het bereik waarin "
                "90% van de trekkingen valt en de bron die de config noemt."
            ),
        },
        "assumptions_none": {
            "en": "This config has no uncertain assumptions: every number is fixed (sources are in the config).",
            "nl": "Deze config heeft geen onzekere aannames: elk getal ligt vast (bronnen staan in de config).",
        },
        "as_name": {"en": "assumption", "nl": "aanname"},
        "as_line": {"en": "line", "nl": "regel"},
        "as_dist": {"en": "distribution", "nl": "verdeling"},
        "as_base": {"en": "base", "nl": "basis"},
        "as_range": {"en": "90% range", "nl": "90%-bereik"},
        "as_source": {"en": "source", "nl": "bron"},
        "no_source": {"en": "(no source in the config)", "nl": "(geen bron in de config)"},
        "warnings": {"en": "Note", "nl": "Let op"},
        "footer": {
            "en": (
                "Made with simsav {version} on {created} from {config} (SHA-256 {sha}). To make it again: "
                "<code>{command}</code>"
            ),
            "nl": (
                "Gemaakt met simsav {version} op {created} uit {config} (SHA-256 {sha}). Opnieuw maken: "
                "<code>{command}</code>"
            ),
        },
        "alt_fan": {
            "en": "Fan chart of the cumulative net per party",
            "nl": "Waaiergrafiek van het cumulatieve netto resultaat per partij",
        },
        "alt_bars": {
            "en": "Costs and savings per party by item",
            "nl": "Kosten en besparingen per partij per post",
        },
        "alt_tornado": {
            "en": "Tornado diagram of the main assumptions",
            "nl": "Tornadodiagram van de belangrijkste aannames",
        },
        "alt_sharing": {
            "en": "Net per party before and after the sharing rules",
            "nl": "Netto resultaat per partij voor en na de verdeelregels",
        },
    },
    "notices": {
        "few_draws": {
            "en": (
                "only {draws} draws: each end of the 5-95% bands rests on {tail} draws; use --draws {need} or "
                "more before quoting these figures"
            ),
            "nl": (
                "Slechts {draws} scenario's: elk uiteinde van de 5-95%-banden rust op {tail} scenario's. Gebruik "
                "--draws {need} of meer voordat u deze cijfers citeert."
            ),
        },
        "p_uncertain": {
            "en": "P(net > 0) is uncertain by about +/-{se} (Monte Carlo standard error)",
            "nl": (
                "De kansen op een positief netto resultaat zijn onzeker met ongeveer +/-{se} (Monte "
                "Carlo-standaardfout)."
            ),
        },
        "outcome_no_investor": {
            "en": "outcome payments: no party invests more than it saves in the base case, so nobody pays",
            "nl": (
                "betalen per resultaat: geen partij investeert in het basisscenario meer dan zij bespaart, dus "
                "niemand betaalt"
            ),
        },
        "outcome_no_saver": {
            "en": "outcome payments: no party saves more than it invests in the base case, so nobody pays",
            "nl": (
                "betalen per resultaat: geen partij bespaart in het basisscenario meer dan zij investeert, dus "
                "niemand betaalt"
            ),
        },
        "outcome_no_success": {
            "en": (
                "outcome payments: the base case has no success (a job spell reaching {months} months) within "
                "the horizon, so no price per success can repay the investors"
            ),
            "nl": (
                "betalen per resultaat: het basisscenario heeft binnen de looptijd geen succes (een baan die "
                "{months} maanden duurt), dus geen prijs per succes kan de investeerders terugbetalen"
            ),
        },
        "outcome_work_pays_all": {
            "en": (
                "outcome payments: the payments per month of work alone exceed the receivers' deficit; the price "
                "per success is set to 0"
            ),
            "nl": (
                "betalen per resultaat: de betalingen per maand werk alleen zijn al meer dan het tekort van de "
                "ontvangers; de prijs per succes is op 0 gezet"
            ),
        },
    },
}


def _in(lang: str, node):
    """Return ``node`` with every {"en": ..., "nl": ...} pair resolved to ``lang``."""
    if isinstance(node, dict) and set(node) == set(LANGS) and not isinstance(node["en"], dict):
        return node[lang]
    return {k: _in(lang, v) for k, v in node.items()}


def check_lang(lang: str) -> str:
    """Return ``lang`` when simsav speaks it, else raise ValueError listing the choices."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGS))}, not {lang!r}")
    return lang


def section(name: str) -> dict[str, dict]:
    """Return one section of the texts in every language: ``{lang: {key: text}}``."""
    return {lang: _in(lang, TEXTS[name]) for lang in LANGS}


def text(lang: str, name: str, key: str, **values) -> str:
    """Return the text ``key`` of section ``name`` in ``lang``, with ``values`` filled in."""
    return TEXTS[name][key][check_lang(lang)].format(**values)
