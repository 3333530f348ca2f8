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
        "legend_costs": {"en": "Costs", "nl": "Kosten"},
        "legend_savings": {"en": "Savings", "nl": "Besparingen"},
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
        "threshold_at": {"en": "{party}: net 0 at {value}", "nl": "{party}: netto 0 bij {value}"},
        "no_threshold": {
            "en": "{party}: net not 0 between {low} and {high}",
            "nl": "{party}: netto niet 0 tussen {low} en {high}",
        },
        "base_value": {"en": "base value {value}", "nl": "basiswaarde {value}"},
        "no_variance": {"en": "its net does not vary", "nl": "het netto resultaat varieert niet"},
        "not_varying": {
            "en": "Not drawn, as no uncertain parameter moves their net: {parties}",
            "nl": "Niet getekend, omdat geen onzekere aanname hun netto resultaat verandert: {parties}",
        },
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
        "table_base": {"en": "net in the base case", "nl": "netto in het basisscenario"},
        "table_mean": {"en": "net: mean", "nl": "netto: gemiddeld"},
        "bridge": {
            "en": ("All parties: net {points} in the base case (the sources' point values, expected outcomes), "
                   "{means} with every uncertain number at its distribution's mean ({gap}: point values that differ "
                   "from the means), {mc} on average over the scenarios ({rest}: the model is not linear in its "
                   "numbers; about {se} of that is simulation noise)."),
            "nl": ("Alle partijen: netto {points} in het basisscenario (de vaste waarden uit de bronnen, verwachte "
                   "uitkomsten), {means} met elk onzeker getal op het gemiddelde van zijn kansverdeling ({gap}: vaste "
                   "waarden die van de gemiddelden afwijken), gemiddeld {mc} over de scenario's ({rest}: het model is "
                   "niet lineair in zijn getallen; ongeveer {se} daarvan is toeval van de simulatie)."),
        },
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
        "learn_title": {"en": "What is worth learning first", "nl": "Wat het eerst waard is om te weten"},
        "learn_intro": {
            "en": ("For each party, what knowing one assumption exactly before deciding to join would be worth: the "
                   "expected value of perfect partial information (EVPPI), how much better on average its decision "
                   "(join when its net is positive) would be. In EUR, ±2 standard errors (simsav voi, from these "
                   "{draws} draws); 'all information': the value of knowing everything (EVPI). What is worth most is "
                   "what the agreement's monitoring should measure first."),
            "nl": ("Per partij wat het waard zou zijn één aanname precies te kennen voordat zij besluit mee te doen: de "
                   "verwachte waarde van gedeeltelijke volledige informatie (EVPPI), hoeveel beter haar besluit (meedoen "
                   "als haar netto resultaat positief is) gemiddeld zou zijn. In EUR, ±2 standaardfouten (simsav voi, "
                   "uit deze {draws} trekkingen); 'alle informatie': de waarde van alles weten (EVPI). Wat het meest "
                   "waard is, moet de monitoring van de afspraak het eerst meten."),
        },
        "learn_nothing": {
            "en": "{parties}: the decision to join is the same whichever value any single assumption takes.",
            "nl": "{parties}: het besluit om mee te doen is hetzelfde welke waarde één aanname ook heeft.",
        },
        "learn_few": {
            "en": "Too few draws to say ({draws}; at least {need}): run the report with more --draws.",
            "nl": "Te weinig trekkingen om dit te zeggen ({draws}; minstens {need}): maak het rapport met meer --draws.",
        },
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
                "Every uncertain assumption in words, its base-case value, the range 90% of the draws fall in, "
                "and its source."
            ),
            "nl": (
                "Elke onzekere aanname in woorden, de waarde in het basisscenario, het bereik waarin 90% van de "
                "trekkingen valt en de bron."
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
        "as_value": {"en": "value", "nl": "waarde"},
        "documents_title": {"en": "Documents", "nl": "Documenten"},
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
    "cli": {
        "results_written": {"en": "results written to {path}", "nl": "resultaten geschreven naar {path}"},
        "workbook_written": {"en": "workbook written to {path}", "nl": "werkmap geschreven naar {path}"},
        "table_written": {"en": "table written to {path}", "nl": "tabel geschreven naar {path}"},
        "plot_written": {"en": "plot written to {path}", "nl": "figuur geschreven naar {path}"},
        "figures_written": {"en": "figures written to {path}: {files}", "nl": "figuren geschreven naar {path}: {files}"},
        "report_written": {"en": "report written to {path} ({mb} MB)", "nl": "rapport geschreven naar {path} ({mb} MB)"},
    },
    "console": {
        "months_short": {"en": "> {h}", "nl": "> {h} mnd"},
        "head_mc": {
            "en": "{draws} draws, seed {seed}, {agents} participants, {h} months from {start}. Amounts in EUR 1,000 over the horizon{disc}.",
            "nl": "{draws} scenario's, seed {seed}, {agents} deelnemers, {h} maanden vanaf {start}. Bedragen in EUR 1.000 over de looptijd{disc}.",
        },
        "head_base": {
            "en": "Base case (point values, expected outcomes), {agents} participants, {h} months from {start}. Amounts in EUR 1,000.",
            "nl": "Basisscenario (vaste waarden, verwachte uitkomsten), {agents} deelnemers, {h} maanden vanaf {start}. Bedragen in EUR 1.000.",
        },
        "discounted": {"en": " (discounted)", "nl": " (contant gemaakt)"},
        "party": {"en": "party", "nl": "partij"},
        "costs_mean_se": {"en": "costs mean ±se", "nl": "kosten gemiddeld ±sf"},
        "savings_mean_se": {"en": "savings mean ±se", "nl": "besparingen gemiddeld ±sf"},
        "net_band": {"en": "net median [5% .. 95%]", "nl": "netto mediaan [5% .. 95%]"},
        "net_mean_se": {"en": "net mean ±se", "nl": "netto gemiddeld ±sf"},
        "net_base": {"en": "net base case", "nl": "netto basisscenario"},
        "p_net_positive": {"en": "P(net>0)", "nl": "P(netto>0)"},
        "be_month_median": {"en": "break-even month (median)", "nl": "terugverdiend na (maanden, mediaan)"},
        "breaks_even": {"en": "breaks even", "nl": "verdient terug"},
        "costs": {"en": "costs", "nl": "kosten"},
        "savings": {"en": "savings", "nl": "besparingen"},
        "net": {"en": "net", "nl": "netto"},
        "be_month": {"en": "break-even month", "nl": "terugverdiend na (maanden)"},
        "sroi_mc": {
            "en": "SROI (savings per euro invested): median {median} [{low} .. {high}], mean {mean} ±{se}",
            "nl": "SROI (besparing per geïnvesteerde euro): mediaan {median} [{low} .. {high}], gemiddeld {mean} ±{se}",
        },
        "sroi_base": {"en": "SROI (savings per euro invested): {sroi}", "nl": "SROI (besparing per geïnvesteerde euro): {sroi}"},
        "p_all": {"en": "P(every party's net > 0): {p}", "nl": "P(netto > 0 voor elke partij): {p}"},
        "be_explained": {
            "en": ("break-even month: the median over all draws, a draw that does not break even within the horizon "
                   "counted as later ('> {h}': half or more do not); 'breaks even': the share of draws that do."),
            "nl": ("terugverdiend na: de mediaan over alle scenario's, waarbij een scenario dat binnen de looptijd niet "
                   "terugverdient als later telt ('> {h} mnd': de helft of meer verdient niet terug); 'verdient terug': "
                   "het aandeel scenario's dat wel terugverdient."),
        },
        "bridge_points": {
            "en": "Base case net {points} (the sources' point values, expected outcomes).",
            "nl": "Netto in het basisscenario {points} (de vaste waarden uit de bronnen, verwachte uitkomsten).",
        },
        "bridge": {
            "en": ("Base case net {points} (the sources' point values, expected outcomes) -> {means} with every uncertain "
                   "number at its distribution's mean ({gap}: points that differ from the means) -> Monte Carlo mean "
                   "{mc} ({rest}: the model is not linear in its numbers; ±{se} of that is Monte Carlo error)."),
            "nl": ("Netto in het basisscenario {points} (de vaste waarden uit de bronnen, verwachte uitkomsten) -> {means} "
                   "met elk onzeker getal op het gemiddelde van zijn kansverdeling ({gap}: vaste waarden die van de "
                   "gemiddelden afwijken) -> gemiddelde over de scenario's {mc} ({rest}: het model is niet lineair in "
                   "zijn getallen; ±{se} daarvan is toevalsfout van de simulatie)."),
        },
        "stream": {"en": "stream", "nl": "stroom"},
        "participants": {"en": "participants", "nl": "deelnemers"},
        "placements": {"en": "placements: job spells", "nl": "plaatsingen: baanperiodes"},
        "placed_once": {"en": "placed at least once", "nl": "minstens één keer geplaatst"},
        "successes_12": {"en": "successes (12 months)", "nl": "successen (12 maanden)"},
        "band_median": {"en": " median [5% .. 95%]", "nl": " mediaan [5% .. 95%]"},
        "mean_col": {"en": "mean", "nl": "gemiddeld"},
        "total": {"en": "total", "nl": "totaal"},
        "placement_note": {
            "en": "A placement is a job spell beginning: a participant who relapses and is placed again counts twice.",
            "nl": "Een plaatsing is het begin van een baanperiode: een deelnemer die terugvalt en opnieuw wordt geplaatst, telt twee keer.",
        },
        "warning": {"en": "warning: {what}", "nl": "let op: {what}"},
        "note": {"en": "note: {what}", "nl": "opmerking: {what}"},
    },
    "share_console": {
        "ex-ante": {"en": "ex ante (fixed in euros from the base case)", "nl": "vooraf, ex ante (vastgelegd in euro's uit het basisscenario)"},
        "ex-post": {"en": "ex post (settled on each draw's realised outcomes)", "nl": "achteraf, ex post (afgerekend op de werkelijke uitkomsten van elk scenario)"},
        "agreement_label": {"en": "agreement: {label}", "nl": "afspraak: {label}"},
        "agreement_rule": {"en": "agreement ({rule})", "nl": "afspraak ({rule})"},
        "head": {
            "en": "Sharing rules: {draws} draws, seed {seed}, {h} months from {start}. Amounts in EUR 1,000 over the horizon{disc}.",
            "nl": "Verdeelregels: {draws} scenario's, seed {seed}, {h} maanden vanaf {start}. Bedragen in EUR 1.000 over de looptijd{disc}.",
        },
        "discounted": {"en": " (discounted)", "nl": " (contant gemaakt)"},
        "investors": {"en": "Investors (base-case net below 0): {who}.", "nl": "Investeerders (netto in het basisscenario onder 0): {who}."},
        "none": {"en": "none", "nl": "geen"},
        "no_payments": {
            "en": "  {rule}: no payments (nobody invests more than it saves in the base case)",
            "nl": "  {rule}: geen betalingen (niemand investeert in het basisscenario meer dan zij bespaart)",
        },
        "price": {"en": "  {rule}: {price} per success (a job reaching 12 months)", "nl": "  {rule}: {price} per succes (een baan die 12 maanden duurt)"},
        "per_month": {"en": " + {price} per month of work", "nl": " + {price} per maand werk"},
        "paid_by": {"en": "    paid by {payers}; received by {receivers}", "nl": "    betaald door {payers}; ontvangen door {receivers}"},
        "terms": {
            "en": "Contract terms (set from the base case; the price is the same ex ante and ex post):",
            "nl": "Contractvoorwaarden (vastgesteld uit het basisscenario; de prijs is vooraf en achteraf dezelfde):",
        },
        "settled": {"en": "== Settled {how}", "nl": "== Afgerekend {how}"},
        "matrix": {"en": "Transfer matrix, payer -> receiver", "nl": "Overdrachten, betaler -> ontvanger"},
        "matrix_mean": {"en": ", mean over the draws", "nl": ", gemiddelde over de scenario's"},
        "rule": {"en": "rule", "nl": "regel"},
        "payer": {"en": "payer", "nl": "betaler"},
        "receiver": {"en": "receiver", "nl": "ontvanger"},
        "total": {"en": "total", "nl": "totaal"},
        "no_transfers_row": {"en": "(no transfers)", "nl": "(geen overdrachten)"},
        "net_before_after": {"en": "Net per party before and after each rule", "nl": "Netto per partij voor en na elke verdeelregel"},
        "party": {"en": "party", "nl": "partij"},
        "net_mean": {"en": "net mean", "nl": "netto gemiddeld"},
        "net_p5": {"en": "net P5", "nl": "netto P5"},
        "p_loss": {"en": "P(net<0)", "nl": "P(netto<0)"},
        "be_month": {"en": "break-even month", "nl": "terugverdiend na (maanden)"},
        "breaks_even": {"en": "breaks even", "nl": "verdient terug"},
        "no_transfers": {"en": "no transfers", "nl": "zonder verdeling"},
        "changed_total": {"en": "warning: a rule changed the total net; please report this", "nl": "let op: een regel veranderde het totale netto resultaat; meld dit alstublieft"},
        "legend": {
            "en": ("P(net<0): share of the draws in which the party loses money; net P5: 5th percentile of its net; "
                   "break-even month: median month from which its cumulative net stays >= 0 ('-': not within the "
                   "horizon in most draws), transfers paid in the months they fall; breaks even: share of draws that do."),
            "nl": ("P(netto<0): aandeel scenario's waarin de partij geld verliest; netto P5: 5e percentiel van haar netto "
                   "resultaat; terugverdiend na: mediaan van de maand vanaf welke haar cumulatieve netto resultaat >= 0 "
                   "blijft ('-': in de meeste scenario's niet binnen de looptijd), overdrachten betaald in de maanden "
                   "waarin ze vallen; verdient terug: aandeel scenario's dat terugverdient."),
        },
        "few_draws": {
            "en": "warning: only {draws} draws: P5 rests on {tail} draws; use --draws 1000 or more before quoting these figures",
            "nl": "let op: slechts {draws} scenario's: P5 rust op {tail} scenario's; gebruik --draws 1000 of meer voordat u deze cijfers citeert",
        },
    },
    "sensitivity_console": {
        "tornado_head": {
            "en": ("Tornado: {title}\nEach uncertain parameter at its {low} and {high} quantile, the others at their base values.\n"
                   "Base case (expected outcomes, no sampling noise); net over the horizon in EUR 1,000.\n"
                   "Rank correlations do not apply: one parameter moves at a time."),
            "nl": ("Tornado: {title}\nElke onzekere aanname op haar {low}- en {high}-kwantiel, de andere op hun basiswaarde.\n"
                   "Basisscenario (verwachte uitkomsten, geen toeval); netto resultaat over de looptijd in EUR 1.000.\n"
                   "Rangcorrelaties gelden niet: één aanname tegelijk verandert."),
        },
        "base_net": {"en": "{party}: base net {net}", "nl": "{party}: netto in het basisscenario {net}"},
        "nothing_moves": {"en": "  no uncertain parameter moves this party's net", "nl": "  geen onzekere aanname verandert het netto resultaat van deze partij"},
        "parameter": {"en": "parameter", "nl": "aanname"},
        "low_high": {"en": "low .. high", "nl": "laag .. hoog"},
        "net_low": {"en": "net at low", "nl": "netto bij laag"},
        "net_high": {"en": "net at high", "nl": "netto bij hoog"},
        "swing": {"en": "swing", "nl": "verschil"},
        "more_top": {"en": "  ... and {n} more (--top)", "nl": "  ... en nog {n} (--top)"},
        "sobol_head": {
            "en": ("Sobol indices: {title}\n{d} uncertain parameters, n = {n} base samples: {evals} base-case evaluations "
                   "(expected outcomes), seed {seed}, {cl} bootstrap intervals.\n"
                   "total: share of the variance of the expected net due to the parameter with all its interactions;\n"
                   "first-order: due to the parameter alone. Inputs are sampled independently."),
            "nl": ("Sobol-indices: {title}\n{d} onzekere aannames, n = {n} basistrekkingen: {evals} doorrekeningen van het "
                   "basisscenario (verwachte uitkomsten), seed {seed}, {cl}-bootstrapintervallen.\n"
                   "totaal: aandeel in de variantie van het verwachte netto resultaat door de aanname met al haar wisselwerkingen;\n"
                   "eerste orde: door de aanname alleen. Aannames worden onafhankelijk getrokken."),
        },
        "corr_ignored": {"en": "Note: the config's rank correlations are ignored by this method: {what}.", "nl": "Let op: deze methode negeert de rangcorrelaties van de config: {what}."},
        "noise_rows": {
            "en": ("Cohort noise: {rows} of the samples were also simulated as one cohort each; 'noise' is the share of a "
                   "simulated cohort's variance\nthat comes from which agents happen to succeed, not from the parameters (not in the indices)."),
            "nl": ("Toeval in de groep: {rows} van de trekkingen zijn ook elk als één groep gesimuleerd; 'toeval' is het aandeel "
                   "van de variantie van een gesimuleerde groep\ndat komt door welke deelnemers toevallig slagen, niet door de aannames (niet in de indices)."),
        },
        "noise": {"en": ", noise {share}", "nl": ", toeval {share}"},
        "sobol_party": {"en": "{party}: mean expected net {net}, sd {sd}{noise}", "nl": "{party}: gemiddeld verwacht netto {net}, sd {sd}{noise}"},
        "sobol_flat": {"en": "  the uncertain parameters do not move this party's expected net", "nl": "  de onzekere aannames veranderen het verwachte netto resultaat van deze partij niet"},
        "total_ci": {"en": "total [{cl} CI]", "nl": "totaal [{cl}-BI]"},
        "first_ci": {"en": "first-order [{cl} CI]", "nl": "eerste orde [{cl}-BI]"},
        "sobol_more": {"en": "  ... {n} more with a total index below 0.01 or beyond --top", "nl": "  ... nog {n} met een totale index onder 0,01 of voorbij --top"},
        "threshold_head": {
            "en": "Threshold: {title}\n{param}: base value {base}, searched over [{low}, {high}] ({frm}).\n\nValue at which the expected net is zero (base case: other parameters at their base values):",
            "nl": "Drempel: {title}\n{param}: basiswaarde {base}, gezocht in [{low}; {high}] ({frm}).\n\nWaarde waarbij het verwachte netto resultaat nul is (basisscenario: andere aannames op hun basiswaarde):",
        },
        "threshold": {"en": "threshold", "nl": "drempel"},
        "net_at_base": {"en": "net at base value", "nl": "netto bij basiswaarde"},
        "crossings": {"en": " ({n} crossings; nearest the base value)", "nl": " ({n} snijpunten; het dichtst bij de basiswaarde)"},
        "always_positive": {"en": "none: always positive", "nl": "geen: altijd positief"},
        "always_negative": {"en": "none: always negative", "nl": "geen: altijd negatief"},
        "none": {"en": "none", "nl": "geen"},
        "curve_head": {
            "en": ("Net against {parameter} (EUR 1,000): Monte Carlo mean [{low} .. {high}] of {draws} draws per value,\n"
                   "other parameters sampled given the value (rank correlations respected), each draw a simulated cohort."),
            "nl": ("Netto resultaat tegen {parameter} (EUR 1.000): gemiddelde [{low} .. {high}] van {draws} scenario's per waarde,\n"
                   "andere aannames getrokken bij die waarde (rangcorrelaties gerespecteerd), elk scenario een gesimuleerde groep."),
        },
        "value": {"en": "value", "nl": "waarde"},
        "flat": {"en": "  {party}: {net} at every value, in every draw", "nl": "  {party}: {net} bij elke waarde, in elk scenario"},
        "variance_head": {
            "en": ("Variance decomposition: {title}\n{outer} parameter draws x {inner} simulated cohorts of {agents} participants "
                   "each (seed {seed}); net over the horizon in EUR 1,000.\n"
                   "parameter: Var(E[net | parameters]), narrowed by better data; cohort: E[Var(net | parameters)],\n"
                   "narrowed per participant by a bigger pilot. Rank correlations respected.\n"),
            "nl": ("Variantie-opsplitsing: {title}\n{outer} trekkingen van de aannames x {inner} gesimuleerde groepen van "
                   "{agents} deelnemers elk (seed {seed}); netto resultaat over de looptijd in EUR 1.000.\n"
                   "aannames: Var(E[netto | aannames]), kleiner met betere gegevens; groep: E[Var(netto | aannames)],\n"
                   "per deelnemer kleiner met een grotere pilot. Rangcorrelaties gerespecteerd.\n"),
        },
        "mean_net": {"en": "mean net", "nl": "netto gemiddeld"},
        "parameter_col": {"en": "parameter", "nl": "aannames"},
        "cohort_col": {"en": "cohort", "nl": "groep"},
        "narrows": {"en": "narrows the band more", "nl": "verkleint de band het meest"},
        "no_variance": {"en": "(net does not vary)", "nl": "(netto varieert niet)"},
        "better_data": {"en": "better data", "nl": "betere gegevens"},
        "bigger_pilot": {"en": "a bigger pilot", "nl": "een grotere pilot"},
        "bounds_from": {
            "range": {"en": "the distribution's range", "nl": "het bereik van de kansverdeling"},
            "range_999": {"en": "the distribution's 0.1-99.9% range", "nl": "het 0,1-99,9%-bereik van de kansverdeling"},
            "probability": {"en": "a probability: 0 to 1", "nl": "een kans: 0 tot 1"},
            "twice": {"en": "0 to twice the config's value", "nl": "0 tot twee keer de waarde in de config"},
            "given": {"en": "given", "nl": "opgegeven"},
        },
    },
    "validate_console": {
        "valid": {"en": "{source}: valid", "nl": "{source}: geldig"},
        "title": {"en": "title: {title}", "nl": "titel: {title}"},
        "parties": {"en": "parties:", "nl": "partijen:"},
        "cohort": {
            "en": "cohort: {n} participants, inflow over {months} month(s), horizon {h} months from {start}, discount rate {rate}",
            "nl": "groep: {n} deelnemers, instroom over {months} maand(en), looptijd {h} maanden vanaf {start}, disconteringsvoet {rate}",
        },
        "streams": {"en": "streams:", "nl": "stromen:"},
        "benefit": {
            "en": "benefit {amount}/month paid by {payer}, remaining {months} months ({law})",
            "nl": "uitkering {amount}/maand betaald door {payer}, resterend {months} maanden ({law})",
        },
        "no_benefit": {"en": "no benefit", "nl": "geen uitkering"},
        "stream": {
            "en": "{n} participants, {benefit}, {what}, managed by {manager}",
            "nl": "{n} deelnemers, {benefit}, {what}, beheerd door {manager}",
        },
        "items": {
            "en": "items (saving = counterfactual minus program; program-only items are costs):",
            "nl": "posten (besparing = zonder programma min met programma; posten alleen in het programma zijn kosten):",
        },
        "all_streams": {"en": "all streams", "nl": "alle stromen"},
        "both_worlds": {"en": "both worlds", "nl": "beide werelden"},
        "program": {"en": "program", "nl": "programma"},
        "counterfactual": {"en": "counterfactual", "nl": "zonder programma"},
        "outside": {"en": "  [outside the table]", "nl": "  [buiten de tabel]"},
        "cost": {"en": "cost", "nl": "kosten"},
        "saving": {"en": "saving", "nl": "besparing"},
        "paid_by": {"en": "paid by", "nl": "betaald door"},
        "uncertain": {"en": "uncertain numbers ({n}):", "nl": "onzekere getallen ({n}):"},
        "uncertain_none": {
            "en": "uncertain numbers: none (every draw uses the same parameters)",
            "nl": "onzekere getallen: geen (elk scenario gebruikt dezelfde aannames)",
        },
        "base": {"en": "base {value}", "nl": "basis {value}"},
        "correlation": {"en": "rank correlation {rank} between {a} and {b}", "nl": "rangcorrelatie {rank} tussen {a} en {b}"},
    },
    "table_console": {
        "costs": {"en": "Costs", "nl": "Kosten"},
        "savings": {"en": "Savings", "nl": "Besparingen"},
        "line": {"en": "line", "nl": "regel"},
        "paid_by": {"en": "paid by", "nl": "betaald door"},
        "saved_by": {"en": "saved by", "nl": "bespaard door"},
        "arithmetic": {"en": "arithmetic", "nl": "berekening"},
        "year_eur": {"en": "{year} (EUR)", "nl": "{year} (EUR)"},
        "total_eur": {"en": "total (EUR)", "nl": "totaal (EUR)"},
        "total_costs": {"en": "Total costs", "nl": "Totaal kosten"},
        "total_savings": {"en": "Total savings", "nl": "Totaal besparingen"},
        "party": {"en": "party", "nl": "partij"},
        "costs_eur": {"en": "costs (EUR)", "nl": "kosten (EUR)"},
        "savings_eur": {"en": "savings (EUR)", "nl": "besparingen (EUR)"},
        "net_eur": {"en": "net (EUR)", "nl": "netto (EUR)"},
        "be_simple": {"en": "break-even (successes, the source's way)", "nl": "terugverdiend na (successen, zoals de bron)"},
        "be_variable": {"en": "break-even (successes, work-linked costs growing)", "nl": "terugverdiend na (successen, werkgebonden kosten groeien mee)"},
        "never": {"en": "never", "nl": "nooit"},
        "all_parties": {"en": "All parties", "nl": "Alle partijen"},
        "per_party": {"en": "Per party", "nl": "Per partij"},
        "per_party_year": {"en": "Per party per year", "nl": "Per partij per jaar"},
        "what_costs": {"en": "costs", "nl": "kosten"},
        "what_savings": {"en": "savings", "nl": "besparingen"},
        "what_net": {"en": "net", "nl": "netto"},
        "result": {"en": "Result (savings - costs): {net}", "nl": "Resultaat (besparingen - kosten): {net}"},
        "sroi": {"en": "SROI: EUR {sroi} per euro invested", "nl": "SROI: EUR {sroi} per geïnvesteerde euro"},
        "sroi_none": {"en": "SROI: -", "nl": "SROI: -"},
        "successes": {
            "en": "Successful placements (12 months at work): {n}; saving per successful placement: {eur}",
            "nl": "Geslaagde plaatsingen (12 maanden aan het werk): {n}; besparing per geslaagde plaatsing: {eur}",
        },
        "be_simple_line": {
            "en": "Break-even, the source's way (costs / saving per success): {n} successes",
            "nl": "Terugverdiend zoals de bron (kosten / besparing per succes): na {n} successen",
        },
        "be_variable_line": {
            "en": "Break-even with work-linked costs growing with successes: {n} successes",
            "nl": "Terugverdiend met werkgebonden kosten die meegroeien met de successen: na {n} successen",
        },
        "be_note": {
            "en": "Break-even per party: the number of successes (successful placements, not months) at which that party's net is zero.",
            "nl": "Terugverdiend per partij: het aantal successen (geslaagde plaatsingen, geen maanden) waarbij het netto resultaat van die partij nul is.",
        },
        "outside": {"en": "Outside the table (modelled, not in the totals above)", "nl": "Buiten de tabel (gemodelleerd, niet in de totalen hierboven)"},
        "outside_total": {"en": "total (EUR, a cost negative)", "nl": "totaal (EUR, kosten negatief)"},
        "memo_line": {"en": "{label} ({party}, {kind} {eur})", "nl": "{label} ({party}, {kind} {eur})"},
        "memo_one": {"en": "1 line", "nl": "1 regel"},
        "memo_many": {"en": "{n} lines", "nl": "{n} regels"},
        "memo_note": {
            "en": "Not in these totals: {n} outside the source's table, shown apart below: {what}.",
            "nl": "Niet in deze totalen: {n} buiten de tabel van de bron, hieronder apart getoond: {what}.",
        },
        "kind_cost": {"en": "cost", "nl": "kosten"},
        "kind_saving": {"en": "saving", "nl": "besparing"},
    },
    "table_words": {
        "full_rate": {"en": "participant-months at full rate", "nl": "deelnemer-maanden tegen vol tarief"},
        "pm": {"en": "participant-months", "nl": "deelnemer-maanden"},
        "bm": {"en": "benefit-months saved", "nl": "uitkeringsmaanden bespaard"},
        "while_working": {"en": "while working:", "nl": "tijdens werk:"},
        "since_start": {"en": "months since start", "nl": "maanden sinds de start"},
        "months": {"en": "months", "nl": "maanden"},
        "saved": {"en": "saved", "nl": "bespaard"},
        "after": {"en": "after", "nl": "daarna"},
        "before": {"en": "before", "nl": "voor"},
        "yr": {"en": "yr", "nl": "jr"},
        "hwk": {"en": "h/wk", "nl": "u/wk"},
        "h": {"en": "h", "nl": "u"},
        "working": {"en": "working", "nl": "aan het werk"},
        "mediation": {"en": "mediation", "nl": "in bemiddeling"},
        "waiting": {"en": "waiting", "nl": "wachtend"},
        "on_hold": {"en": "on_hold", "nl": "gepauzeerd"},
        "dropped_out": {"en": "dropped_out", "nl": "uitgevallen"},
        "placement": {"en": "(placement)", "nl": "(plaatsing)"},
        "success": {"en": "(success)", "nl": "(succes)"},
        "first_placement": {"en": "(first_placement)", "nl": "(eerste plaatsing)"},
        "relapse": {"en": "(relapse)", "nl": "(terugval)"},
        "dropout": {"en": "(dropout)", "nl": "(uitval)"},
    },
    "run_workbook": {
        "summary": {
            "en": "Summary",
            "nl": "Samenvatting",
        },
        "nets": {
            "en": "Net per draw",
            "nl": "Netto per scenario",
        },
        "break_even": {
            "en": "Break-even per draw",
            "nl": "Terugverdiend per scenario",
        },
        "head_mc": {
            "en": "{draws} draws, seed {seed}, {agents} participants, {horizon} months from {start}. Amounts in EUR over the horizon{disc}.",
            "nl": "{draws} scenario's, seed {seed}, {agents} deelnemers, {horizon} maanden vanaf {start}. Bedragen in EUR over de looptijd{disc}.",
        },
        "head_base": {
            "en": "Base case (point values, expected outcomes), {agents} participants, {horizon} months from {start}. Amounts in EUR{disc}.",
            "nl": "Basisscenario (puntwaarden, verwachte uitkomsten), {agents} deelnemers, {horizon} maanden vanaf {start}. Bedragen in EUR{disc}.",
        },
        "discounted": {
            "en": " (discounted)",
            "nl": " (contant gemaakt)",
        },
        "column_0": {"en": "party", "nl": "partij"},
        "column_1": {"en": "party id", "nl": "partij-id"},
        "column_2": {"en": "net mean (EUR)", "nl": "netto gemiddeld (EUR)"},
        "column_3": {"en": "net median (EUR)", "nl": "netto mediaan (EUR)"},
        "column_4": {"en": "net 5% (EUR)", "nl": "netto 5% (EUR)"},
        "column_5": {"en": "net 95% (EUR)", "nl": "netto 95% (EUR)"},
        "column_6": {"en": "P(net > 0)", "nl": "P(netto > 0)"},
        "column_7": {"en": "break-even month (median)", "nl": "terugverdiend na (maanden, mediaan)"},
        "column_8": {"en": "breaks even (share of draws)", "nl": "verdient terug (aandeel scenario's)"},
        "note": {
            "en": "The figures are formulas over the sheets '{nets}' and '{be}'. Break-even month: the median over all draws, a draw that does not break even within the horizon (a blank cell) counted as later ('> {horizon}': half or more do not).",
            "nl": "De cijfers zijn formules over de bladen '{nets}' en '{be}'. Terugverdiend na: de mediaan over alle scenario's; een scenario dat binnen de looptijd niet terugverdient (een lege cel) telt als later ('> {horizon}': de helft of meer niet).",
        },
        "draw": {
            "en": "draw",
            "nl": "scenario",
        },
        "all": {
            "en": "All parties",
            "nl": "Alle partijen",
        },
        "total": {
            "en": "total",
            "nl": "totaal",
        },
    },
    # The workbook of `simsav table --format xlsx` (simsav.present.xlsx). "yes", "no" and "never"
    # are also the text literals inside its formulas: each language's own, written by the same code.
    "table_workbook": {
        "sheet_case": {"en": "Business case", "nl": "Businesscase"},
        "sheet_by_year": {"en": "By year", "nl": "Per jaar"},
        "col_line": {"en": "line", "nl": "regel"},
        "col_party": {"en": "party", "nl": "partij"},
        "col_flag": {"en": "work-linked (grows with successes)", "nl": "werkgebonden (groeit mee met de successen)"},
        "col_words": {"en": "arithmetic (simsav's words)", "nl": "berekening (in woorden van simsav)"},
        "col_count": {"en": "count (derived from the base case)", "nl": "aantal (afgeleid uit het basisscenario)"},
        "col_count_of": {"en": "count of", "nl": "aantal van"},
        "col_orgs": {"en": "organisations", "nl": "organisaties"},
        "col_qty": {"en": "quantity", "nl": "hoeveelheid"},
        "col_qty_unit": {"en": "quantity unit", "nl": "eenheid"},
        "col_hours": {"en": "hours per week (x 52/12)", "nl": "uren per week (x 52/12)"},
        "col_rate": {"en": "rate (EUR)", "nl": "tarief (EUR)"},
        "col_rate_unit": {"en": "rate unit", "nl": "tariefeenheid"},
        "col_share": {"en": "share saved", "nl": "aandeel bespaard"},
        "col_amount": {"en": "amount (EUR)", "nl": "bedrag (EUR)"},
        "col_kind": {"en": "kind", "nl": "soort"},
        "paid_by": {"en": "paid by", "nl": "betaald door"},
        "saved_by": {"en": "saved by", "nl": "bespaard door"},
        "costs": {"en": "Costs", "nl": "Kosten"},
        "savings": {"en": "Savings", "nl": "Besparingen"},
        "total_costs": {"en": "Total costs", "nl": "Totaal kosten"},
        "total_savings": {"en": "Total savings", "nl": "Totaal besparingen"},
        "kind_cost": {"en": "cost", "nl": "kosten"},
        "kind_saving": {"en": "saving", "nl": "besparing"},
        "yes": {"en": "yes", "nl": "ja"},
        "no": {"en": "no", "nl": "nee"},
        "never": {"en": "never", "nl": "nooit"},
        "intro": {
            "en": "Base case (point values, expected outcomes). Amounts in EUR over the horizon.",
            "nl": "Basisscenario (puntwaarden, verwachte uitkomsten). Bedragen in EUR over de looptijd.",
        },
        "intro_year": {
            "en": "Calendar year {year} of the base case (point values, expected outcomes). Amounts in EUR.",
            "nl": "Kalenderjaar {year} van het basisscenario (puntwaarden, verwachte uitkomsten). Bedragen in EUR.",
        },
        "blue_note": {
            "en": ("Blue cells are the driver numbers: each count (shaded) is derived from simsav's base case, the "
                   "other numbers are the config's. Every amount, total, SROI and break-even is a formula of them."),
            "nl": ("Blauwe cellen zijn de invoergetallen: elk aantal (gearceerd) is afgeleid uit het basisscenario "
                   "van simsav, de andere getallen komen uit de configuratie. Elk bedrag, totaal, SROI en "
                   "terugverdienpunt is een formule daarvan."),
        },
        "successes": {
            "en": "Successful placements (12 months at work): base-case expected count (derived)",
            "nl": "Geslaagde plaatsingen (12 maanden aan het werk): verwacht aantal in het basisscenario (afgeleid)",
        },
        "per_party": {"en": "Per party", "nl": "Per partij"},
        "party_id": {"en": "party id", "nl": "partij-id"},
        "costs_eur": {"en": "costs (EUR)", "nl": "kosten (EUR)"},
        "savings_eur": {"en": "savings (EUR)", "nl": "besparingen (EUR)"},
        "net_eur": {"en": "net (EUR)", "nl": "netto (EUR)"},
        "work_linked_eur": {"en": "work-linked costs (EUR)", "nl": "werkgebonden kosten (EUR)"},
        "be_simple": {"en": "break-even (successes, the source's way)",
                      "nl": "terugverdiend na (successen, zoals de bron)"},
        "be_variable": {"en": "break-even (successes, work-linked costs growing)",
                        "nl": "terugverdiend na (successen, werkgebonden kosten groeien mee)"},
        "all_parties": {"en": "All parties", "nl": "Alle partijen"},
        "result": {"en": "Result", "nl": "Resultaat"},
        "fig_result": {"en": "Result (savings - costs), EUR", "nl": "Resultaat (besparingen - kosten), EUR"},
        "fig_sroi": {"en": "SROI: EUR saved per EUR invested", "nl": "SROI: EUR bespaard per geïnvesteerde EUR"},
        "fig_saving_per_success": {"en": "Saving per successful placement, EUR",
                                   "nl": "Besparing per geslaagde plaatsing, EUR"},
        "fig_be_simple": {
            "en": "Break-even, the source's way (costs / saving per success), successes",
            "nl": "Terugverdiend zoals de bron (kosten / besparing per succes), successen",
        },
        "fig_be_variable": {
            "en": "Break-even with work-linked costs growing with successes, successes",
            "nl": "Terugverdiend met werkgebonden kosten die meegroeien met de successen, successen",
        },
        "be_note": {
            "en": ("Break-even: the number of successes (successful placements, not months) at which the net is "
                   "zero; per party in the columns above."),
            "nl": ("Terugverdiend: het aantal successen (geslaagde plaatsingen, geen maanden) waarbij het netto "
                   "resultaat nul is; per partij in de kolommen hierboven."),
        },
        "outside": {"en": "Outside the table (modelled, not in the totals above)",
                    "nl": "Buiten de tabel (gemodelleerd, niet in de totalen hierboven)"},
        "overview_intro": {"en": "Per calendar year, EUR: each cell refers to that year's sheet.",
                           "nl": "Per kalenderjaar, EUR: elke cel verwijst naar het blad van dat jaar."},
        "year_eur": {"en": "{year} (EUR)", "nl": "{year} (EUR)"},
        "total_eur": {"en": "total (EUR)", "nl": "totaal (EUR)"},
        "per_party_year": {"en": "Per party per year", "nl": "Per partij per jaar"},
        "party_what": {"en": "{name}: {what}", "nl": "{name}: {what}"},
        "what_costs": {"en": "costs", "nl": "kosten"},
        "what_savings": {"en": "savings", "nl": "besparingen"},
        "what_net": {"en": "net", "nl": "netto"},
        "rate_yearly": {"en": " (/ 12 a month)", "nl": " (/ 12 per maand)"},
        "subject": {"en": "business case (simsav table)", "nl": "businesscase (simsav table)"},
        "comments": {"en": "Amounts are formulas of the driver numbers in blue.",
                     "nl": "Bedragen zijn formules van de invoergetallen in blauw."},
        # what a line's count counts and its rate's unit (simsav.analysis.table, in English), word for word
        "words": {
            "years": {"en": "years", "nl": "jaren"},
            "starts": {"en": "trajectory starts", "nl": "gestarte trajecten"},
            "placements": {"en": "placements", "nl": "plaatsingen"},
            "successes": {"en": "successes (12 months at work)", "nl": "successen (12 maanden aan het werk)"},
            "first_placements": {"en": "first placements", "nl": "eerste plaatsingen"},
            "per_hour_worked": {"en": "per hour worked", "nl": "per gewerkt uur"},
            "per_year": {"en": "per year", "nl": "per jaar"},
            "per_month": {"en": "per month", "nl": "per maand"},
            "per_event": {"en": "per event", "nl": "per gebeurtenis"},
        },
    },
    "compare_console": {
        "head_paired": {
            "en": ("Scenarios compared: {draws} draws each, seed {seed}, paired (every scenario takes the base's draws of "
                   "the uncertainties they share, and the same participants' chances). Amounts in EUR 1,000 over {h} "
                   "months from {start}."),
            "nl": ("Scenario's vergeleken: elk {draws} trekkingen, seed {seed}, gepaard (elk scenario neemt de trekkingen "
                   "van de basis voor de onzekerheden die ze delen, en dezelfde kansen van de deelnemers). Bedragen in "
                   "EUR 1.000 over {h} maanden vanaf {start}."),
        },
        "head_unpaired": {
            "en": ("Scenarios compared: {draws} draws each, seed {seed}, unpaired (every scenario draws on its own). "
                   "Amounts in EUR 1,000 over {h} months from {start}."),
            "nl": ("Scenario's vergeleken: elk {draws} trekkingen, seed {seed}, ongepaard (elk scenario trekt apart). "
                   "Bedragen in EUR 1.000 over {h} maanden vanaf {start}."),
        },
        "scenario_base": {"en": "{scenario} (the base): {title}", "nl": "{scenario} (de basis): {title}"},
        "scenario_line": {
            "en": "{scenario}: {title} ({shared} uncertainties shared with the base, {own} of its own)",
            "nl": "{scenario}: {title} ({shared} onzekerheden gedeeld met de basis, {own} eigen)",
        },
        "side_by_side": {"en": "Net per party, scenario by scenario", "nl": "Netto resultaat per partij, per scenario"},
        "party": {"en": "party", "nl": "partij"},
        "scenario": {"en": "scenario", "nl": "scenario"},
        "net_band": {"en": "net median [5% .. 95%]", "nl": "netto mediaan [5% .. 95%]"},
        "p_positive": {"en": "P(net>0)", "nl": "P(netto>0)"},
        "break_even": {"en": "break-even month (median)", "nl": "terugverdiend na (maanden, mediaan)"},
        "breaks_even": {"en": "breaks even", "nl": "verdient terug"},
        "sroi": {"en": "SROI (mean savings per euro invested): {values}", "nl": "SROI (gemiddelde besparing per geïnvesteerde euro): {values}"},
        "differences": {
            "en": "Paired differences: the scenario minus {base}, draw by draw",
            "nl": "Gepaarde verschillen: het scenario min {base}, trekking voor trekking",
        },
        "difference_band": {"en": "difference mean [5% .. 95%]", "nl": "verschil gemiddeld [5% .. 95%]"},
        "se": {"en": "±se", "nl": "±sf"},
        "p_better": {"en": "P(better)", "nl": "P(beter)"},
        "variance_ratio": {"en": "variance vs unpaired", "nl": "variantie t.o.v. ongepaard"},
        "explained_paired": {
            "en": ("The difference's band holds only what the scenarios change: the uncertainty they share moves both nets "
                   "together. 'P(better)': the share of draws in which the scenario's net beats {base}'s. 'variance vs "
                   "unpaired': the difference's variance over the sum of the two variances (1: nothing shared)."),
            "nl": ("De band van het verschil bevat alleen wat de scenario's veranderen: de onzekerheid die ze delen beweegt "
                   "beide uitkomsten samen. 'P(beter)': het aandeel trekkingen waarin het netto resultaat van het scenario "
                   "dat van {base} overtreft. 'variantie t.o.v. ongepaard': de variantie van het verschil gedeeld door de "
                   "som van beide varianties (1: niets gedeeld)."),
        },
        "explained_unpaired": {
            "en": ("Unpaired: the scenarios share no draws, so the difference's band is as wide as both bands together. "
                   "'P(better)': the share of draws in which the scenario's net beats {base}'s."),
            "nl": ("Ongepaard: de scenario's delen geen trekkingen, dus de band van het verschil is zo breed als beide banden "
                   "samen. 'P(beter)': het aandeel trekkingen waarin het netto resultaat van het scenario dat van {base} "
                   "overtreft."),
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
    "national_console": {
        "head": {
            "en": ("{title}: {regions} regions, {participants} participants, {draws} draws, seed {seed}. Amounts in "
                   "EUR 1,000 over {h} months from {start}."),
            "nl": ("{title}: {regions} regio's, {participants} deelnemers, {draws} trekkingen, seed {seed}. Bedragen in "
                   "EUR 1.000 over {h} maanden vanaf {start}."),
        },
        "national_unknowns": {
            "en": "Drawn once for the whole country each draw: {names}. Every other uncertainty is drawn per region.",
            "nl": "Per trekking een keer voor het hele land getrokken: {names}. Elke andere onzekerheid per regio.",
        },
        "none": {"en": "(none)", "nl": "(geen)"},
        "national_heading": {"en": "National totals per party", "nl": "Landelijke totalen per partij"},
        "party": {"en": "party", "nl": "partij"},
        "net_mean": {"en": "net mean", "nl": "netto gemiddeld"},
        "band": {"en": "5% .. 95%", "nl": "5% .. 95%"},
        "p_positive": {"en": "P(net>0)", "nl": "P(netto>0)"},
        "break_even": {"en": "break-even month (median)", "nl": "terugverdiend na (maanden, mediaan)"},
        "regions_heading": {
            "en": "Net per region, all parties together",
            "nl": "Netto resultaat per regio, alle partijen samen",
        },
        "region": {"en": "region", "nl": "regio"},
        "net_median": {"en": "net median", "nl": "netto mediaan"},
        "written": {"en": "National results written to {path} (zarr).", "nl": "Landelijke resultaten geschreven naar {path} (zarr)."},
        "validate_head": {
            "en": "{path}: a national roll-up of {regions} regions, {participants} participants, {h} months from {start}.",
            "nl": "{path}: een landelijke optelling van {regions} regio's, {participants} deelnemers, {h} maanden vanaf {start}.",
        },
        "participants": {"en": "participants", "nl": "deelnemers"},
        "config": {"en": "config", "nl": "config"},
        "validate_ok": {
            "en": "Every region's config is valid; `simsav run {path}` simulates them all.",
            "nl": "De config van elke regio is geldig; `simsav run {path}` simuleert ze allemaal.",
        },
    },
    "monitor": {
        "title": {
            "en": "Plan and realisation to {as_of} - {title}",
            "nl": "Plan en realisatie tot en met {as_of} - {title}",
        },
        "intro": {
            "en": ("{n} participants in the register {register}, months {start} .. {as_of}. Amounts in EUR 1,000 "
                   "to date; plan: the base case of the same months."),
            "nl": ("{n} deelnemers in het register {register}, maanden {start} .. {as_of}. Bedragen in EUR 1.000 "
                   "tot nu toe; plan: het basisscenario over dezelfde maanden."),
        },
        "counterfactual_note": {
            "en": ("A register sees only the program: the savings are the plan's counterfactual spending of those "
                   "months (what the same people would have cost without it) minus what was spent."),
            "nl": ("Een register ziet alleen het programma: de besparingen zijn de uitgaven van het nulalternatief "
                   "volgens het plan over die maanden (wat dezelfde mensen zonder programma zouden kosten) min "
                   "wat er is uitgegeven."),
        },
        "party": {"en": "party", "nl": "partij"},
        "all_parties": {"en": "All parties", "nl": "Alle partijen"},
        "costs_plan": {"en": "costs plan", "nl": "kosten plan"},
        "costs_real": {"en": "costs realised", "nl": "kosten realisatie"},
        "savings_plan": {"en": "savings plan", "nl": "besparingen plan"},
        "savings_real": {"en": "savings realised", "nl": "besparingen realisatie"},
        "net_plan": {"en": "net plan", "nl": "netto plan"},
        "net_real": {"en": "net realised", "nl": "netto realisatie"},
        "difference": {"en": "realised - plan", "nl": "realisatie - plan"},
        "state": {"en": "state at {as_of}", "nl": "status in {as_of}"},
        "plan": {"en": "plan", "nl": "plan"},
        "realised": {"en": "realised", "nl": "realisatie"},
        "event": {"en": "events to date", "nl": "gebeurtenissen tot nu toe"},
        "participants": {"en": "participants", "nl": "deelnemers"},
        "states": {
            "waiting": {"en": "waiting for intake", "nl": "wacht op intake"},
            "mediation": {"en": "in mediation", "nl": "in bemiddeling"},
            "working": {"en": "at work", "nl": "aan het werk"},
            "on_hold": {"en": "on hold", "nl": "on hold"},
            "dropped_out": {"en": "dropped out", "nl": "uitgevallen"},
            "other": {"en": "other", "nl": "overige"},
        },
        "events": {
            "start": {"en": "starts", "nl": "gestart"},
            "placement": {"en": "placements", "nl": "plaatsingen"},
            "success": {"en": "successes (12 months at work)", "nl": "successen (12 maanden aan het werk)"},
            "relapse": {"en": "job ends (relapses)", "nl": "einde baan (terugval)"},
            "dropout": {"en": "drop-outs", "nl": "uitvallers"},
            "first_placement": {"en": "participants placed", "nl": "deelnemers geplaatst"},
        },
        "check_title": {
            "en": "register {register}: {n} participants, census {as_of}; no individual is shown",
            "nl": "register {register}: {n} deelnemers, peildatum {as_of}; er wordt geen individu getoond",
        },
        "status_title": {
            "en": "status table {status}: {n} participants, census {as_of}",
            "nl": "statustabel {status}: {n} deelnemers, peildatum {as_of}",
        },
        "status_note": {
            "en": "The plan is the base case's program world; 'other' has no model state.",
            "nl": "Het plan is het programma in het basisscenario; 'overige' heeft geen toestand in het model.",
        },
        "written": {"en": "Results (ledger, settlement, parameters, forecast) written to {path}",
                    "nl": "Resultaten (realisatie, afrekening, parameters, prognose) geschreven naar {path}"},
        "written_status": {"en": "Results (counts, parameters, forecast) written to {path}",
                           "nl": "Resultaten (aantallen, parameters, prognose) geschreven naar {path}"},
        "written_report": {"en": "Monitoring report written to {path}", "nl": "Monitoringsrapport geschreven naar {path}"},
        "settlement_title": {
            "en": "Settlement per closed year: who pays whom",
            "nl": "Afrekening per afgesloten jaar: wie betaalt wie",
        },
        "settlement_intro": {
            "en": ("Each calendar year the census has closed, settled on what happened in it: the year's realised "
                   "costs, savings and successes, under the standard rules{agreement}. Amounts in EUR."),
            "nl": ("Elk kalenderjaar dat de peildatum heeft afgesloten, afgerekend op wat er dat jaar is gebeurd: de "
                   "gerealiseerde kosten, besparingen en successen van dat jaar, volgens de standaardregels"
                   "{agreement}. Bedragen in EUR."),
        },
        "settlement_agreement": {
            "en": " and the config's agreement ({label})",
            "nl": " en de afspraak uit de config ({label})",
        },
        "settlement_none": {
            "en": "No calendar year is closed by the census {as_of} yet: nothing to settle.",
            "nl": "De peildatum {as_of} sluit nog geen kalenderjaar af: er valt nog niets af te rekenen.",
        },
        "settlement_year": {
            "en": "{year}: net realised {net} in total; successes: {successes}",
            "nl": "{year}: gerealiseerd netto {net} in totaal; successen: {successes}",
        },
        "rule": {"en": "rule", "nl": "verdeelregel"},
        "payer": {"en": "pays", "nl": "betaalt"},
        "receiver": {"en": "to", "nl": "aan"},
        "amount": {"en": "EUR", "nl": "EUR"},
        "no_transfer": {"en": "no transfers", "nl": "geen overdrachten"},
        "price": {
            "en": "{rule}: EUR {price} per success{work} (the terms of the base case or the agreement).",
            "nl": "{rule}: EUR {price} per succes{work} (de voorwaarden uit het basisscenario of de afspraak).",
        },
        "price_work": {"en": " and EUR {price} per month of work", "nl": " en EUR {price} per maand werk"},
        "settlement_open": {
            "en": "{year} is not settled yet: the census {as_of} has not closed it.",
            "nl": "{year} is nog niet afgerekend: de peildatum {as_of} sluit het jaar nog niet af.",
        },
        "posterior_title": {
            "en": "Updated parameters: before and after the register",
            "nl": "Bijgewerkte parameters: voor en na het register",
        },
        "posterior_intro": {
            "en": ("{draws} draws of the parameters given the register's lives to {as_of} (from the config's "
                   "distributions, by the exact likelihood of those lives); people still waiting, in mediation, at "
                   "work or on hold then count as not yet ended, not as failures."),
            "nl": ("{draws} trekkingen van de parameters gegeven de levens in het register tot en met {as_of} "
                   "(vanuit de verdelingen van de config, met de exacte aannemelijkheid van die levens); wie dan nog "
                   "wacht, in bemiddeling is, werkt of on hold staat, telt als nog niet afgelopen, niet als mislukt."),
        },
        "posterior_intro_status": {
            "en": ("{draws} draws of the parameters given the status table of {as_of} (from the config's "
                   "distributions; a composite likelihood of the counts, so the bands after are somewhat too narrow)."),
            "nl": ("{draws} trekkingen van de parameters gegeven de standentabel van {as_of} (vanuit de verdelingen "
                   "van de config; een samengestelde aannemelijkheid van de aantallen, dus de banden achteraf zijn wat "
                   "te smal)."),
        },
        "posterior_method": {
            "en": ("Method: sequential Monte Carlo, {stages} tempering stages, {moves} moves; weighting the draws "
                   "alone would have kept {ess} of {draws} (effective sample size)."),
            "nl": ("Methode: sequentiele Monte Carlo, {stages} tussenstappen, {moves} verplaatsingen; alleen wegen "
                   "had {ess} van de {draws} trekkingen overgehouden (effectieve steekproefgrootte)."),
        },
        "posterior_method_importance": {
            "en": ("Method: simsav run's own {draws} draws, weighted by the data (effective sample size {ess}): "
                   "before and after share their draws."),
            "nl": ("Methode: de {draws} trekkingen van simsav run zelf, gewogen naar de gegevens (effectieve "
                   "steekproefgrootte {ess}): voor en na gebruiken dezelfde trekkingen."),
        },
        "posterior_method_prior": {
            "en": "The data do not tell the draws apart: the parameters after are the ones before.",
            "nl": "De gegevens maken geen onderscheid tussen de trekkingen: de parameters achteraf zijn die van vooraf.",
        },
        "parameter": {"en": "parameter", "nl": "parameter"},
        "prior_mean": {"en": "before: mean", "nl": "vooraf: gemiddelde"},
        "prior_band": {"en": "before: 5% - 95%", "nl": "vooraf: 5% - 95%"},
        "posterior_mean": {"en": "after: mean", "nl": "achteraf: gemiddelde"},
        "posterior_band": {"en": "after: 5% - 95%", "nl": "achteraf: 5% - 95%"},
        "posterior_none": {
            "en": "The config has no uncertain outcome parameter (a distribution) to update.",
            "nl": "De config heeft geen onzekere uitkomstparameter (een verdeling) om bij te werken.",
        },
        "posterior_collapsed": {
            "en": ("Warning: the weights rest on few draws (effective sample size {ess}, under {minimum}): "
                   "the numbers after the register are unreliable; run with more --draws."),
            "nl": ("Let op: de gewichten rusten op weinig trekkingen (effectieve steekproefgrootte {ess}, onder "
                   "{minimum}): de getallen na het register zijn onbetrouwbaar; gebruik meer --draws."),
        },
        "posterior_impossible": {
            "en": "No draw can produce this register's lives: the parameters cannot be updated.",
            "nl": "Geen enkele trekking kan de levens in dit register opleveren: de parameters zijn niet bij te werken.",
        },
        "measure_title": {
            "en": "What to measure next: what knowing an outcome exactly is worth to each party's decision",
            "nl": "Wat nu te meten: wat het een partij waard is een uitkomst precies te kennen voor haar besluit",
        },
        "measure_intro": {
            "en": ("For each party, the expected value of perfect information (EVPPI) about each outcome the register "
                   "measures, under the updated parameters: how much better, on average, the party's decision to go on "
                   "(net > 0) or not would be if that number were known exactly. In EUR, ±2 standard errors; 'all "
                   "information': the value of knowing everything (EVPI). Measure first what is worth most."),
            "nl": ("Per partij de verwachte waarde van volledige informatie (EVPPI) over elke uitkomst die het register "
                   "meet, met de bijgewerkte parameters: hoeveel beter het besluit van de partij om door te gaan (netto > "
                   "0) of niet gemiddeld zou zijn als dat getal precies bekend was. In EUR, ±2 standaardfouten; 'alle "
                   "informatie': de waarde van alles weten (EVPI). Meet eerst wat het meest waard is."),
        },
        "measure_party": {
            "en": "{party} (all information: {evpi}): {items}",
            "nl": "{party} (alle informatie: {evpi}): {items}",
        },
        "measure_item": {"en": "{label} {value} ±{se}", "nl": "{label} {value} ±{se}"},
        "measure_nothing": {
            "en": "{parties}: the decision does not hang on what the register measures (no outcome is worth more than its standard error).",
            "nl": "{parties}: het besluit hangt niet af van wat het register meet (geen uitkomst is meer waard dan zijn standaardfout).",
        },
        "measure_none": {
            "en": "No outcome the register measures is uncertain in this config: nothing to prioritise.",
            "nl": "Geen uitkomst die het register meet is onzeker in deze config: niets om voorrang aan te geven.",
        },
        "forecast_title": {
            "en": "Where it will end: each party's net over the horizon, before and after the register",
            "nl": "Waar het eindigt: netto resultaat per partij over de looptijd, voor en na het register",
        },
        "forecast_intro": {
            "en": ("Before: simsav run's forecast ({draws} draws, seed {seed}). After: realised to {as_of}, then every "
                   "participant continued from their state at {as_of} under the updated parameters, plus the "
                   "{planned} participants still to start. Amounts in EUR 1,000 over the whole horizon."),
            "nl": ("Vooraf: de prognose van simsav run ({draws} trekkingen, seed {seed}). Achteraf: gerealiseerd tot en "
                   "met {as_of}, daarna elke deelnemer verder vanuit zijn status in {as_of} met de bijgewerkte "
                   "parameters, plus de {planned} deelnemers die nog moeten beginnen. Bedragen in EUR 1.000 over de "
                   "hele looptijd."),
        },
        "forecast_intro_status": {
            "en": ("Before: simsav run's forecast ({draws} draws, seed {seed}). After: the whole cohort simulated again "
                   "with the parameters updated by the status table of {as_of} (a status table has counts, no "
                   "lives to continue). Amounts in EUR 1,000 over the whole horizon."),
            "nl": ("Vooraf: de prognose van simsav run ({draws} trekkingen, seed {seed}). Achteraf: het hele cohort "
                   "opnieuw gesimuleerd met de parameters bijgewerkt door de standentabel van {as_of} (een "
                   "standentabel heeft aantallen, geen levens om voort te zetten). Bedragen in EUR 1.000 over de hele "
                   "looptijd."),
        },
        "forecast_left_out": {
            "en": ("{n} participants the config plans to have started by {as_of} are not in the register: the "
                   "forecast has them as planned (as if the register lags behind); their months to {as_of} are not "
                   "in the realised figures."),
            "nl": ("{n} deelnemers die volgens de config voor of in {as_of} begonnen zouden zijn, staan niet in het "
                   "register: de prognose neemt ze mee zoals gepland (alsof het register achterloopt); hun maanden "
                   "tot en met {as_of} zitten niet in de realisatie."),
        },
        "forecast_extra": {
            "en": "{n} participants in the register are beyond the config's plan for their stream: they are forecast too.",
            "nl": "{n} deelnemers in het register gaan boven het plan van de config voor hun stroom: ook zij tellen mee.",
        },
        "before_net": {"en": "before: net (mean)", "nl": "vooraf: netto (gem.)"},
        "before_band": {"en": "before: 5% - 95%", "nl": "vooraf: 5% - 95%"},
        "before_loss": {"en": "before: P(loss)", "nl": "vooraf: kans verlies"},
        "before_be": {"en": "before: break-even", "nl": "vooraf: terugverdiend"},
        "after_net": {"en": "after: net (mean)", "nl": "achteraf: netto (gem.)"},
        "after_band": {"en": "after: 5% - 95%", "nl": "achteraf: 5% - 95%"},
        "after_loss": {"en": "after: P(loss)", "nl": "achteraf: kans verlies"},
        "after_be": {"en": "after: break-even", "nl": "achteraf: terugverdiend"},
        "be_month": {"en": "month {m}", "nl": "maand {m}"},
        "be_never": {"en": "> {h}", "nl": "> {h}"},
        "fan_title": {
            "en": "Cumulative net per party: realised to {as_of} and the forecast, before and after the register",
            "nl": "Cumulatief netto resultaat per partij: gerealiseerd tot en met {as_of} en de prognose, voor en na het register",
        },
        "fan_before": {"en": "before (5% - 95%)", "nl": "vooraf (5% - 95%)"},
        "fan_after90": {"en": "after: 90% of the draws", "nl": "achteraf: 90% van de scenario's"},
        "fan_after50": {"en": "after: 50% of the draws", "nl": "achteraf: 50% van de scenario's"},
        "fan_median": {"en": "after: median", "nl": "achteraf: mediaan"},
        "fan_realised": {"en": "realised", "nl": "gerealiseerd"},
        "fan_census": {"en": "census {as_of}", "nl": "peildatum {as_of}"},
        "fan_axis": {"en": "months from {start}", "nl": "maanden vanaf {start}"},
        "fan_y": {"en": "cumulative net", "nl": "cumulatief netto resultaat"},
        "params_title": {
            "en": "The outcome parameters before and after the data ({as_of})",
            "nl": "De uitkomstparameters voor en na de gegevens ({as_of})",
        },
        "params_before": {"en": "before (the config's distribution)", "nl": "vooraf (verdeling in de config)"},
        "params_after": {"en": "after the data", "nl": "na de gegevens"},
        "params_density": {"en": "density", "nl": "dichtheid"},
    },
    # The monitoring report (simsav monitor --report): one self-contained HTML page for a board.
    "monitor_report": {
        "subtitle": {"en": "Monitoring of the shared-savings agreement", "nl": "Monitoring van de sharedsavings-afspraak"},
        "census_line": {
            "en": "Census {as_of}: {data}. Config {config}.",
            "nl": "Peildatum {as_of}: {data}. Config {config}.",
        },
        "data_register": {"en": "register {source} with {n} participants",
                          "nl": "register {source} met {n} deelnemers"},
        "data_status": {"en": "status table {source} with {n} participants",
                        "nl": "standentabel {source} met {n} deelnemers"},
        "ledger_title": {"en": "Plan and realisation to date", "nl": "Plan en realisatie tot nu toe"},
        "ledger_intro": {
            "en": ("What the register's months in each state and events cost and saved, at the config's unit "
                   "costs, beside what the plan (the base case) expected for the same months. The savings are "
                   "the plan's spending without the approach minus what was spent: the former is never observed."),
            "nl": ("Wat de maanden in elke status en de gebeurtenissen in het register kostten en bespaarden, tegen "
                   "de kosten per eenheid van de config, naast wat het plan (het basisscenario) voor dezelfde maanden "
                   "verwachtte. De besparingen zijn de uitgaven van het plan zonder de aanpak min wat is uitgegeven: "
                   "het eerste is nooit waar te nemen."),
        },
        "settlement_title": {"en": "Settlement per closed year: who pays whom",
                             "nl": "Afrekening per afgesloten jaar: wie betaalt wie"},
        "params_title": {"en": "What the data say about the assumptions", "nl": "Wat de gegevens zeggen over de aannames"},
        "forecast_title": {"en": "Where it will end", "nl": "Waar het eindigt"},
        "fan_caption": {
            "en": ("Black: the realised cumulative net per party to the census. Grey band: simsav run's forecast "
                   "before the data (5% - 95%). Coloured: the forecast after the data, continued from the census "
                   "(dark band 50%, light band 90%, line the median)."),
            "nl": ("Zwart: het gerealiseerde cumulatieve netto resultaat per partij tot de peildatum. Grijze band: de "
                   "prognose van simsav run voor de gegevens (5% - 95%). In kleur: de prognose na de gegevens, "
                   "voortgezet vanaf de peildatum (donkere band 50%, lichte band 90%, lijn de mediaan)."),
        },
        "params_caption": {
            "en": "Grey: the config's distribution of each outcome parameter. Coloured: the distribution after the data.",
            "nl": "Grijs: de verdeling van elke uitkomstparameter in de config. In kleur: de verdeling na de gegevens.",
        },
        "footer": {
            "en": "simsav {version}, {created}. Reproduce: <code>{command}</code>. Config sha256 {sha}.",
            "nl": "simsav {version}, {created}. Opnieuw maken: <code>{command}</code>. Config sha256 {sha}.",
        },
    },
    "voi_console": {
        "head": {
            "en": ("Value of information: {title}\n"
                   "{draws} draws (seed {seed}), each a set of parameters and a simulated cohort of {agents} participants.\n"
                   "Each party joins when its expected net is positive. EVPPI: what it would be worth to the party to know\n"
                   "the parameter (or group) exactly before deciding, in EUR, +/- two bootstrap standard errors ({boot} resamples).\n"
                   "EVPI: what knowing everything, the cohort's luck included, would be worth: no measurement is worth more."),
            "nl": ("Waarde van informatie: {title}\n"
                   "{draws} scenario's (seed {seed}), elk een set aannames en een gesimuleerde groep van {agents} deelnemers.\n"
                   "Elke partij doet mee als haar verwachte netto resultaat positief is. EVPPI: wat het de partij waard is om\n"
                   "de aanname (of groep) precies te kennen voordat ze besluit, in EUR, +/- twee bootstrap-standaardfouten ({boot} herhalingen).\n"
                   "EVPI: wat alles weten waard is, ook het toeval in de groep: geen meting is meer waard."),
        },
        "party": {
            "en": "{party}: {decision} (mean net {net}, P(net > 0) = {p}); EVPI {evpi} +/- {se}",
            "nl": "{party}: {decision} (gemiddeld netto {net}, P(netto > 0) = {p}); EVPI {evpi} +/- {se}",
        },
        "joins": {"en": "joins", "nl": "doet mee"},
        "stays_out": {"en": "does not join", "nl": "doet niet mee"},
        "certain": {
            "en": "  the decision is certain in every draw: no measurement can change it",
            "nl": "  het besluit staat in elk scenario vast: geen meting kan het veranderen",
        },
        "rank": {"en": "#", "nl": "#"},
        "parameter": {"en": "parameter", "nl": "aanname"},
        "evppi": {"en": "EVPPI", "nl": "EVPPI"},
        "two_se": {"en": "+/- 2 se", "nl": "+/- 2 sf"},
        "share": {"en": "of EVPI", "nl": "van EVPI"},
        "more": {"en": "  ... and {n} more (--top)", "nl": "  ... en nog {n} (--top)"},
        "group": {"en": "group {name}: {members}", "nl": "groep {name}: {members}"},
        "foot": {
            "en": ("An EVPPI within 2 se of 0 cannot be told from nothing with these draws (the estimate errs upward by\n"
                   "about its se there); measure first what ranks high for the parties whose decision is close. See docs/voi.md."),
            "nl": ("Een EVPPI binnen 2 sf van 0 is met deze scenario's niet van niets te onderscheiden (de schatting valt daar\n"
                   "ongeveer een sf te hoog uit); meet eerst wat hoog staat bij de partijen met een krap besluit. Zie docs/voi.md."),
        },
        "written": {"en": "value of information written to {path}", "nl": "waarde van informatie geschreven naar {path}"},
    },
    # Parameter labels derived from a number's place in the config when its distribution has no
    # `label` (simsav.present.labels), and assumptions in words ("between 1,000 and 4,000, ...").
    "parameters": {
        "placement_probability": {"en": "chance of a job", "nl": "kans op een baan"},
        "job_retention_12m": {"en": "share of jobs lasting 12 months", "nl": "aandeel banen dat 12 maanden duurt"},
        "months_to_placement": {"en": "months to a job", "nl": "maanden tot een baan"},
        "months_to_dropout": {"en": "months to dropping out", "nl": "maanden tot uitval"},
        "months_waiting": {"en": "months waiting for intake", "nl": "maanden wachten op intake"},
        "return_probability": {"en": "chance of returning after a relapse", "nl": "kans op terugkeer na terugval"},
        "months_on_hold": {"en": "months on hold after a relapse", "nl": "maanden in de wacht na terugval"},
        "hours_per_week": {"en": "hours of work per week", "nl": "uren werk per week"},
        "monthly_benefit": {"en": "benefit per month", "nl": "uitkering per maand"},
        "benefit_months_remaining": {"en": "months of benefit left", "nl": "resterende uitkeringsmaanden"},
        "benefit_reduction_when_working": {"en": "benefit saved while working", "nl": "besparing op de uitkering bij werk"},
        "amount": {"en": "amount", "nl": "bedrag"},
        "quantity": {"en": "quantity", "nl": "aantal"},
        "eligible_share": {"en": "share of participants", "nl": "aandeel deelnemers"},
        "organisations": {"en": "organisations", "nl": "aantal organisaties"},
        "discount_rate": {"en": "discount rate", "nl": "disconteringsvoet"},
        "reductions": {"en": "reduction", "nl": "vermindering"},
        "values": {"en": "factor", "nl": "factor"},
        "state_factor": {"en": "{what} while {state}", "nl": "{what} tijdens {state}"},
        "state_waiting": {"en": "waiting", "nl": "wachten"},
        "state_mediation": {"en": "mediation", "nl": "bemiddeling"},
        "state_working": {"en": "working", "nl": "werk"},
        "state_on_hold": {"en": "on hold", "nl": "pauze"},
        "state_dropped_out": {"en": "dropped out", "nl": "uitval"},
        "counterfactual": {"en": "without the approach: {what}", "nl": "zonder de aanpak: {what}"},
        "of": {"en": "{owner}: {what}", "nl": "{owner}: {what}"},
        "interval": {"en": "from month {start}", "nl": "vanaf maand {start}"},
        "pert": {"en": "between {low} and {high}, most likely {mode}",
                 "nl": "tussen {low} en {high}, meest waarschijnlijk {mode}"},
        "uniform": {"en": "between {low} and {high}, every value equally likely",
                    "nl": "tussen {low} en {high}, elke waarde even waarschijnlijk"},
        "mean_sd": {"en": "on average {mean}, give or take {sd}", "nl": "gemiddeld {mean}, plus of min {sd}"},
        "mean_only": {"en": "on average {mean}", "nl": "gemiddeld {mean}"},
        "within": {"en": "{what}, within {low} to {high}", "nl": "{what}, binnen {low} tot {high}"},
        "one_of": {"en": "one of {values}", "nl": "een van {values}"},
        "fixed": {"en": "{value}", "nl": "{value}"},
        "base_is": {"en": "base case {point}", "nl": "basisscenario {point}"},
        "judgement": {"en": "judgement of the modeller", "nl": "eigen inschatting van de opstellers"},
        "line": {"en": "l. {where}", "nl": "r. {where}"},
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
