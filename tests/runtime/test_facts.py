"""Protected spans and fact verification (models/facts.py): pure Python, no model."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from models.facts import (CHANGED_NUMBER, MISSING_NUMBER, NEW_NAME, NEW_NUMBER, NUMBERED_NAME, SourceFacts,
                          check_candidate, extract_numbers, missing_keeps, protected_spans)


def _spans(text: str, kind: str, keep: tuple[str, ...] = ()) -> list[str]:
    return [s.text for s in protected_spans(text, keep) if s.kind == kind]


def _values(text: str) -> list[str]:
    return [s.value for s in extract_numbers(text)]


def _reasons(source: str, candidate: str, keep: tuple[str, ...] = ()) -> list[str]:
    return [v.reason for v in check_candidate(source, candidate, keep)]


# --------------------------------------------------------------------------- numbers

@pytest.mark.parametrize(("text", "values"), [
    ("It fell 1,234 points to 4.30.", ["1234", "4.3"]),
    ("About 1 000 people, 1.000.000 euros and 1.000,5 kg.", ["1000", "€1000000", "1000.5"]),
    ("Revenue rose 12% to $4.3 million.", ["%12", "$4300000"]),
    ("up 12 percent, 12 per cent, 12 pct", ["%12", "%12", "%12"]),
    ("US$300, €20, £5bn, 30 dollars, 71 cents, 71¢, $4.3m", ["$300", "€20", "£5000000000", "$30", "$0.71",
                                                           "$0.71", "$4300000"]),
    ("down 63 Canadian cents at C$16.93 and A$4.56", ["C$0.63", "C$16.93", "A$4.56"]),
    ("the 1st, 22nd and 3rd", ["1", "22", "3"]),
    ("in the 1990s and the 1980's, not the Russell 2000's", ["1990s", "1980s", "2000"]),
    ("at 3 p.m., 3pm, 15:30 and 3:30 p.m.", ["15:00", "15:00", "15:30", "15:30"]),
    ("by 8 in the morning or at noon", ["8:00", "12:00"]),
    ("3 in the afternoon, 3 o'clock, midnight", ["15:00", "3:00", "0:00"]),
    ("the #1 seller, V2.1 and between 10 and 20 percent", ["1", "v2.1", "%10", "%20"]),
    ("between 10-20% or 10–20 people", ["%10", "%20", "10", "20"]),
    ("$4 to 5 million", ["$4000000", "$5000000"]),
    ("v2.1.3 and Python 3.11 and 3.10", ["v2.1.3", "3.11", "3.1"]),
    ("a 5km run at 20°C, 3x faster 🍕3", ["5", "20", "3", "3"]),
    ("It fell -5% and +3", ["%5", "3"]),
    ("three firms, twenty-five dogs, two hundred cats, a million fans", ["3", "25", "200", "1000000"]),
    ("one-third and two-thirds of them; a third of it; a third time", ["1/3", "2/3", "1/3", "3"]),
    ("five percent and ten dollars", ["%5", "$10"]),
    ("three-quarters of them, a quarter of it, three quarters; this quarter, the third quarter",
     ["3/4", "1/4", "3/4", "3"]),
    ("1,2 million women", ["1200000"]),
    ("between 0,6 and 0,9% in 2,5 hours; 0,125 kg", ["%0.6", "%0.9", "2.5", "0.125"]),  # decimal commas
    ("lost 1,4% to 3.064 points; 1,400 people; options 1,2,3", ["%1.4", "3.064", "1400", "1", "2", "3"]),
    ("the $54.9-million record", ["$54900000"]),
])
def test_numbers_in_every_written_form(text: str, values: list[str]) -> None:
    assert _values(text) == values


def test_dates_keep_day_and_year_as_numbers_and_month_as_a_date() -> None:
    text = "Due Dec. 10, on May 22, on 22 May 2024, on 2024-05-22 and before March 2027."
    assert [s.value for s in protected_spans(text) if s.kind == "date"] == [
        "????-12-10", "????-05-22", "2024-05-22", "2024-05-22", "2027-03-??"]
    assert _values(text) == ["10", "22", "22", "2024", "2024", "22", "2027"]  # no 5 from the ISO month


def test_three_quarters_is_a_fraction_not_three() -> None:
    # Read by eye on student candidates: "three-quarters" was the number 3, so "3 of the staff" passed.
    assert check_candidate("3 of the staff left.", "Three-quarters of the staff left.")
    assert check_candidate("Three quarters of the staff left.", "Three-quarters of the staff left.") == []
    assert check_candidate("Sales dropped in this quarter.", "Sales fell this quarter.") == []


def test_numeral_characters_are_numbers() -> None:
    # Read by eye on news output: "The House passed the bill by a ⅔ vote" passed the facts check
    # as a paraphrase of a sentence with no number, because \\d matches no "⅔".
    source = "The bill was defeated in the House by a wide margin."
    assert [v.kind for v in check_candidate(source, "The House passed the bill by a ⅔ vote.")] == ["new_number"]
    assert check_candidate(source, "The House rejected the bill by a margin of ③.")
    assert check_candidate("Two-thirds of the staff left.", "⅔ of the staff left.") == []  # a fraction is a fraction
    assert check_candidate("⅔ of the staff left.", "Two-thirds of the staff left.") == []
    assert check_candidate("½ of the staff left.", "⅔ of the staff left.")
    assert check_candidate("Water is H₂O.", "Water is H2O.") == []  # kept by its value in digits
    assert check_candidate("The flat is 50 m² in size.", "The flat is 50 m in size.")  # the ² went missing
    assert check_candidate("Louis XIV ruled.", "Louis Ⅻ ruled, as XIV.")  # a Roman numeral sign


@pytest.mark.parametrize(("source", "candidate", "passes"), [
    # Read by eye on news output: "colonies with more than 600 breeding pairs" -> "600 breeding pairs" passed.
    ("There are colonies with more than 600 breeding pairs.", "There are 600 breeding pairs in colonies.", False),
    ("There are colonies with more than 600 breeding pairs.", "Colonies hold at least 600 breeding pairs.", True),
    ("There are colonies with more than 600 breeding pairs.", "Colonies hold 600 or more breeding pairs.", True),
    ("There are colonies with more than 600 breeding pairs.", "Colonies hold fewer than 600 breeding pairs.", False),
    ("16 civilians and at least 19 soldiers died.", "16 civilians and 19 soldiers died.", False),
    ("It costs $5.", "It costs up to $5.", False),  # a bound may not be added either
    ("Unemployment is under 5%.", "Unemployment is below 5%.", True),
    ("Prices rose 10% over 5 years.", "Prices went up 10% in 5 years.", True),  # "over" may be a span of time
    ("Over 600 people came.", "More than 600 people came.", True),
    ("About 600 people came.", "600 people came.", True),  # an approximation is as good as the value
    ("600 people came.", "Roughly 600 people came.", True),
    # shown by student v2: a number that became "nearly" it, and one that lost its "almost"
    ("She has worked at IBM for thirty years.", "She has been with IBM for nearly thirty years.", False),
    ("SAP plans to almost double its workforce.", "SAP plans to double its workforce.", False),
    ("Nearly 500 million was looted.", "500 million was looted.", False),
    ("Nearly 500 million was looted.", "Almost 500 million was stolen.", True),
    ("Nearly 500 million was looted.", "Close to 500 million was looted.", True),
    ("Nearly 500 million was looted.", "About 500 million was looted.", True),  # the teachers' usual rewording
    ("About 29 people broke in.", "Nearly 29 people broke in.", True),
    ("Nearly 500 million was looted.", "Less than 500 million was looted.", True),
    ("Nearly 500 million was looted.", "More than 500 million was looted.", False),
    # "over" agrees with any bound but a ceiling: shown by student v2 on dev and held-out news
    ("The toll rose to up to 12 believed dead.", "The deaths of over 12 individuals were reported.", False),
    ("Over 40% of children do sports.", "Nearly 40% of children do sports.", False),
    ("Nearly 500 million was looted.", "Over 500 million was looted.", False),
    ("More than 600 people came.", "Over 600 people came.", True),
    # "over" is a floor unless a span of time may be meant (student v2, held-out news)
    ("The dollar was about 120 yen and the Euro over 160 yen.", "The dollar was about 120 yen and the Euro at 160 yen.",
     False),
    ("The dollar was about 120 yen and the Euro over 160 yen.",
     "The dollar was about 120 yen and the Euro around 160 yen.", False),
    ("Though over 40% of children do sports, few parents do.", "Though 40% of children do sports, few parents do.", False),
    ("Over 600 people came.", "At least 600 people came.", True),
    ("Sales fell over two quarters.", "Sales fell for two quarters.", True),
    ("Prices rose over 5 consecutive years.", "Prices rose for 5 consecutive years.", True),
    ("Sales grew over 2012.", "Sales grew in 2012.", True),
])
def test_a_number_keeps_its_bound(source: str, candidate: str, passes: bool) -> None:
    assert (check_candidate(source, candidate) == []) is passes, check_candidate(source, candidate)


def test_an_order_of_magnitude_is_a_number() -> None:
    # Read by eye on held-out news at Creative: "plans to invest billions" -> "invest millions" passed.
    source = "SAP plans to invest billions and hire thousands of engineers."
    assert check_candidate(source, "SAP intends to spend billions and take on thousands of engineers.") == []
    assert check_candidate(source, "SAP intends to spend millions and take on thousands of engineers.")
    assert check_candidate(source, "SAP intends to spend heavily and take on thousands of engineers.")
    assert check_candidate("Dozens of people came.", "Hundreds of people came.")
    assert check_candidate("It cost $2 million.", "It cost $2 million, or millions.")  # new order of magnitude
    assert check_candidate("It cost 2 millions.", "It cost 2 million.") == []  # a number's own scale word
    assert check_candidate("Thousands of fans sang.", "Fans sang by the thousands.") == []
    # Shown at Creative on held-out news: "tens of millions of our young men and women" ->
    # "the hundreds-of millions of our young men and women" passed.
    source = "Where do we find jobs for tens of millions of our young men and women?"
    assert check_candidate(source, "Where are the jobs for the hundreds-of millions of our young people?")
    assert check_candidate(source, "Where are the jobs for millions of our young people?")
    assert check_candidate(source, "Where are the jobs for tens-of-millions of our young people?") == []
    assert check_candidate("Hundreds of thousands marched.", "Hundreds of thousands took to the streets.") == []
    assert check_candidate("Hundreds of thousands marched.", "Thousands took to the streets.")


def test_weak_number_words_are_not_required_and_never_new() -> None:
    facts = SourceFacts("It was one of the best days, for the first time.")
    assert all(s.weak for s in facts.of_kind("number"))
    assert facts.check("It was among the best days ever.") == []
    assert check_candidate("It rose for the 1st time.", "It rose for the first time.") == []


@pytest.mark.parametrize(("source", "candidate"), [
    # shown by student v2 (ASSET in Simpler, held-out news)
    ("The first driver to win multiple Championships was Alberto Ascari, in 1952 and 1953.",
     "Alberto Ascari won multiple Championships in 1952 and 1953."),
    ("In her first television interview since the shooting, Giffords smiled.",
     "The most recent television interview since the shooting, Giffords smiled."),
    ("They lost the second half badly.", "They lost badly."),
])
def test_an_ordinal_the_source_states_is_required(source: str, candidate: str) -> None:
    (ordinal,) = [s for s in extract_numbers(source) if s.text.lower() in ("first", "second")]
    assert ordinal.weak and ordinal.claim
    assert [v.kind for v in check_candidate(source, candidate)] == [MISSING_NUMBER]


@pytest.mark.parametrize(("source", "candidate"), [
    ("The first driver to win was Ascari.", "Ascari was the first to win."),     # kept
    ("In her first television interview, she smiled.", "In her 1st TV interview, she smiled."),
    ("It is the first dean of the school.", "It is the school's inaugural dean."),  # a synonym keeps it
    ("They lost the second half badly.", "They lost the latter half badly."),
    ("We will be the first to admit it.", "We admit it."),                      # idioms: not stated
    ("For the first time, he won.", "He won."),
    ("In the first place, it was late.", "It was late anyway."),
    ("At first he laughed.", "He laughed."),                                   # no determiner
    ("Give it a second chance.", "Give it another chance."),
    ("He won his debut race.", "He won his first race."),                      # never new in a candidate
])
def test_an_ordinal_the_source_does_not_state_or_that_is_kept_passes(source: str, candidate: str) -> None:
    assert [v for v in check_candidate(source, candidate) if v.kind in (MISSING_NUMBER, NEW_NUMBER)] == []


def test_digits_inside_urls_and_code_are_not_numbers() -> None:
    assert _values("See https://site2.com/page/42 or run python3_build and mail a1@b.org") == []


def test_numbers_next_to_emoji_or_names_are_numbers() -> None:
    assert _values("🍕3 slices at G7, COVID-19 era") == ["3", "7", "19"]


def test_digit_forms_help_a_decoder_write_a_source_number() -> None:
    spans = {s.text: s.forms for s in extract_numbers("It paid 36,350,000 and 2800 in 2024.")}
    assert spans["36,350,000"] == ("36,350,000", "36350000")
    assert spans["2800"] == ("2800", "2,800")
    assert spans["2024"] == ("2024",)  # a year is not written 2,024


# --------------------------------------------------------------------------- names

@pytest.mark.parametrize(("text", "names"), [
    ("Apple rose 3%.", ["Apple"]),
    ("Yesterday we left.", []),
    ("However, Dr. Chen warned us.", ["Dr. Chen"]),
    ("Dr. Chen left.", ["Dr. Chen"]),
    ("The U.S. economy grew, e.g. in NASA's budget.", ["U.S.", "NASA"]),
    ("Prices in Zürich and in Nguyễn's shop rose.", ["Zürich", "Nguyễn"]),
    ("We met O'Brien and Jean-Luc there.", ["O'Brien", "Jean-Luc"]),
    ("I moved to New York City.", ["New York City"]),
    ("New York is big.", ["New York"]),
    ("New rules apply.", []),
    ("She works at the Bank of America.", ["Bank of America"]),
    ("The United Nations' International Atomic Energy Agency asked.", ["United Nations",
                                                                       "International Atomic Energy Agency"]),
    ("Shares fell in Charleston on Wednesday.", ["Charleston", "Wednesday"]),
    ("George W. Bush spoke.", ["George W. Bush"]),
    ("Serenely, she waited.", []),
    ("Apple rose. Apple fell.", ["Apple", "Apple"]),
    ("Microsoft said so. Microsoft is big.", ["Microsoft", "Microsoft"]),
    ("Brown said the brown dog left.", ["Brown"]),
    ("Apple Unveils New iPhone At Annual Event In Cupertino", ["Apple", "Cupertino"]),
    ("I think it's fine, OK?", []),
    ("He said: The plan works.", []),
    ("It rose in March and in May 2024.", []),  # months are dates, not names
])
def test_names(text: str, names: list[str]) -> None:
    assert _spans(text, "name") == names


def test_a_sentence_start_word_capitalised_elsewhere_is_a_name() -> None:
    """"Brown" is a common word; capitalised mid-text it is a name, also at the start."""
    assert _spans("Brown left early. Later, Brown came back.", "name") == ["Brown", "Brown"]


# --------------------------------------------------------------------------- verbatim spans

def test_quotes_urls_emails_handles_hashtags_and_code() -> None:
    text = ('He called it "the witness", see https://x.com/a?b=1, mail a.b@c.org, ping @bob #tag, '
            'run foo.bar() on file.txt with my_var, camelCase and `x = 1`.')
    spans = {(s.kind, s.text) for s in protected_spans(text)}
    assert {("quote", "the witness"), ("url", "https://x.com/a?b=1"), ("email", "a.b@c.org"),
            ("handle", "@bob"), ("hashtag", "#tag"), ("code", "foo.bar()"), ("code", "file.txt"),
            ("code", "my_var"), ("code", "camelCase"), ("code", "x = 1")} <= spans


@pytest.mark.parametrize(("text", "quotes"), [
    ("He said “not now” and left.", ["not now"]),
    ("He called him 'the witness' again.", ["the witness"]),
    ("Don't touch O'Brien's car, it's the boss's.", []),
    ("the players' union and the '90s", []),
    ('"We will win this year."', []),  # the whole text quoted: paraphrase it
    ("No e.g. or i.e. or U.S. here.", []),
])
def test_quotes_are_quotations_not_apostrophes(text: str, quotes: list[str]) -> None:
    assert _spans(text, "quote") == quotes


def test_abbreviations_are_not_code() -> None:
    assert _spans("It works, e.g. at 5 p.m. in the U.S. and Inc.The end.", "code") == []


# --------------------------------------------------------------------------- verification

@pytest.mark.parametrize(("source", "candidate", "reasons"), [
    ("It costs $300.", "It costs $30.", ["new number $30", "number $300 missing"]),
    ("The index fell 11.64 points.", "The index dropped 1.64 points.",
     ["new number 1.64", "number 11.64 missing"]),
    ("The ticket was $2,800.", "The ticket cost $280.", ["new number $280", "number $2,800 missing"]),
    ("The vote is on May 22.", "The vote is on May 21.", ["new number 21", "number 22 missing"]),
    ("Shares fell 71 cents, or 3 percent.", "Shares fell 71 cents, or $3.50.",
     ["new number $3.50", "number 3 percent missing"]),
    ("Revenue rose 12%.", "Revenue rose 12.", ["number 12% changed to 12"]),
    ("We met on May 22, 2024.", "We met on June 22, 2024.", ["date May 22, 2024: month May missing"]),
    ("Dr. Chen warned us.", "Chen warned us.", ["name Dr. Chen missing (Dr)"]),
    ("Dr. Chen warned us.", "Mr. Chen warned us.", ["name Dr. Chen missing (Dr)"]),
    ("Sen. John Kerry spoke.", "John Kerry spoke.", ["name Sen. John Kerry missing (Sen)"]),
    ("He met Will Smith.", "He met Smith.", ["name Will Smith missing (Will)"]),
    ("Sales in Spain rose.", "Spanish sales rose.", ["name Spain missing"]),
    ("Allen spoke.", "Allan spoke.", ["name Allen missing", "new name Allan"]),
    ("I moved to New York City.", "I moved to New York.", ["name New York City missing (City)"]),
    ("Apple rose 3%.", "Shares of apple rose 3%.", ["name Apple missing"]),
    ('He called it "baseless and illogical".', "He dismissed it.", ["quote \u201cbaseless and illogical\u201d missing"]),
    ("Mail a.b@c.org now.", "Mail them now.", ["e-mail a.b@c.org missing"]),
    ("Ping @bob about #launch.", "Ping Bob about the launch.", ["handle @bob missing", "hashtag #launch missing"]),
    ("Ping @bob now.", "Ping @bobby now.", ["handle @bob missing"]),
    ("Run foo.bar() first.", "Run the function first.", ["code foo.bar() missing"]),
    ("See https://x.org today.", "See the site today.", ["URL https://x.org missing"]),
    ("It was one of the best days.", "It was among the best days, the first of 2.", ["new number 2"]),
])
def test_violations(source: str, candidate: str, reasons: list[str]) -> None:
    assert sorted(_reasons(source, candidate)) == sorted(reasons)


@pytest.mark.parametrize(("source", "candidate"), [
    ("Revenue rose 12% to $4.3 million.", "Revenue climbed to $4.3 million, up 12%."),
    ("Revenue rose 12% to $4.3 million.", "Revenue rose 12 percent to 4.3 million dollars."),
    ("Revenue rose 12% to $4.3 million.", "Revenue rose 12 per cent to $4,300,000."),
    ("Our quarterly revenue rose 12% to $4.3 million, driven by strong sales in Germany.",
     "Driven by strong German sales, quarterly revenue grew 12% to $4.3 million."),
    ("Dr. Chen warned that costs will not fall before March 2027.",
     "Despite Dr. Chen's warning, costs will stay high until March 2027."),
    ("Dr. Chen warned us.", "Doctor Chen warned us."),
    ("Three firms bid.", "3 firms bid."),
    ("It rose a 3rd time.", "It rose a third time."),
    ("One-third of them left.", "A third of them left."),
    ("The U.S. economy grew.", "The US economy expanded."),
    ("The U.S. economy grew.", "The United States economy expanded."),
    ("GBI spokesman John Bankhead said so.", "Georgia Bureau of Investigation spokesman John Bankhead said so."),
    ("Yahoo Inc. teamed up with SBC.", "Yahoo and SBC teamed up."),
    ("Rockets hit the Iraqi capital.", "Rockets hit the capital of Iraq."),
    ("Fries in Paris.", "Parisian fries."),
    ("Sweden's Anja Paerson won.", "The Swedish skier Anja Paerson won."),
    ("They moved to LA.", "They moved to Los Angeles."),
    ("Doctor Chen spoke.", "Dr. Chen spoke."),
    ('"No," said Mr. Feith.', '"No," said Feith.'),  # a courtesy title is no fact
    ("said U.S. Attorney Marcos Jiménez", "said U.S. Attorney Marcos Jimenez"),
    ("Albertson's stores closed.", "Albertsons stores closed."),
    ("It is zero service.", "It is poor service."),
    ("Prof. Smith spoke in St. Louis.", "Professor Smith spoke in Saint Louis."),
    ('He said "the witness" lied.', "He claimed the witness lied."),
    ('It is "a brand new platform, media rich".', 'It is "A brand new platform, media-rich."'),
    ("We met on 2024-05-22.", "We met on May 22, 2024."),
    ("We met on Dec. 10.", "We met on December 10."),
    ("They left at 3 p.m.", "At 15:00 they left."),
    ("They left at midday.", "They left at 12 pm."),
    ("The shop opens at 9:00.", "The shop opens at 9:00 a.m."),  # more exact than the source is fine
    ("my 9 : 00 a.m . meeting", "my 9:00 a.m. meeting"),  # a tokenized time is still a time
    ("It weighs 30 pounds.", "It weighs 30 lbs."),
    ("Prices fell 10-20%.", "Prices fell 10% to 20%."),
    ("It fell -5%.", "It fell 5%."),
    ("Yesterday we left at 5.", "We left at 5 yesterday."),
    # Read by eye on news output: 30 of 32 rows of a yen sentence were refused for "160 yens".
    ("The Euro was over 160 yen.", "The Euro stood at more than 160 yens."),
])
def test_paraphrases_that_keep_the_facts_pass(source: str, candidate: str) -> None:
    assert _reasons(source, candidate) == []


@pytest.mark.parametrize(("source", "candidate"), [
    ("What time should I leave for my 9:00 a.m. meeting?", "When should I leave for my 9:00 meeting?"),
    ("what time should i leave to make it to my 9 : 00 a.m . meeting", "When do I leave for my 9 : 00 meeting?"),
    ("We met at 15:30.", "We met at 3:30."),
])
def test_a_time_that_loses_its_half_of_the_day_is_changed(source: str, candidate: str) -> None:
    """Student v2 on dev wrote "my 9 : 00 meeting" for "my 9 : 00 a.m . meeting", and the keys
    alone kept it: "9:00" is either nine o'clock."""
    assert [v.kind for v in check_candidate(source, candidate)] == [CHANGED_NUMBER]


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    ("If I leave home at 9 am, when will I reach school?", "If I leave home after 9 am, when do I reach school?", True),
    ("Can I get home before 2 pm?", "Can I get home after 2 pm?", True),
    ("Which flights leave at 7 pm?", "Which flights leave at 7 pm or later?", True),
    ("Flights around 7 pm, please.", "Flights later than 7 pm, please.", True),
    # "until" had no words for the reason: both raised a KeyError that ended the paraphrase job
    ("The offer is valid until 5 p.m. today.", "The offer is valid after 5 p.m. today.", True),
    ("The shop opens after 9 am.", "The shop is open until 9 am.", True),
    # a deadline made a start (passed at 0.43), and back
    ("The store is open until 9 p.m.", "The store is open from 9 p.m.", True),
    ("Tickets are sold from 9 am.", "Tickets are sold until 9 am.", True),
    # a deadline written with "at", "by", "before" or "until" is one deadline
    ("How do I get to work at 8 am?", "How do I get to work by 8 am?", False),
    ("The buffet is available until 2:30 pm.", "Grab the buffet before 2:30 pm.", False),
    ("Which flights leave at 7 pm or later?", "Which flights leave after 7 pm?", False),
    ("They are open post-5pm.", "They are open after 5pm.", False),
    ("The shop is open from 9 am.", "The shop opens at 9 am.", False),
    ("The shop is open from 9 am.", "Starting at 9 am, the shop is open.", False),
])
def test_a_time_put_after_another_moment_is_changed(source: str, candidate: str, changed: bool) -> None:
    """Student v2 on dev wrote "… from home after 9 am" for "… from home at 9 am"."""
    assert ([v.kind for v in check_candidate(source, candidate)] == [CHANGED_NUMBER]) is changed
    assert changed or check_candidate(source, candidate) == []


def test_violation_kinds_tell_missing_changed_and_invented_numbers_apart() -> None:
    kinds = {v.kind for v in check_candidate("Up 12% to $300 in 2024.", "Up 12 to $30.")}
    assert kinds == {CHANGED_NUMBER, NEW_NUMBER, MISSING_NUMBER}


def test_every_text_keeps_its_own_facts() -> None:
    for text in ["Our quarterly revenue rose 12% to $4.3 million, driven by strong sales in Germany. "
                 "However, Dr. Chen warned that costs will not fall before March 2027.",
                 "Hewlett-Packard Co. HPQ.N , the No. 2 computer maker, rose 41 cents, or 2.4 percent, to $17.29.",
                 "Meet me at 3 p.m. on 2024-05-22 in Zürich (see https://x.org, #tag, @bob).",
                 "Type ` ` and then `ls`.", "Apollo 4,5 and Fox 64's No. 7.", ""]:
        assert check_candidate(text, text) == []


def test_random_text_never_raises_and_always_keeps_its_own_facts() -> None:
    """Fuzz: odd mixes of digits, quotes, currency, abbreviations and names."""
    rng = random.Random(14)
    pieces = list("aA1 .,'\"$%-:/@#_`()€£0123456789") + [
        "May", "Dr.", "U.S.", "million", "third", "one", " of ", "Zürich", " p.m.", "“", "”", "‘", "’", "\n",
        "Apollo ", "Fox ", "No. ", "'s "]
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        other = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert check_candidate(text, text) == [], text
        check_candidate(text, other)


# --------------------------------------------------------------------------- kept phrases

def test_kept_phrases_must_appear_verbatim() -> None:
    source = "Our new growth  plan starts today."
    keep = ("growth plan",)
    assert _spans(source, "keep", keep) == ["growth plan"]
    assert _reasons(source, "Today the growth plan begins.", keep) == []
    assert _reasons(source, "Today the Growth Plan begins.", keep) == ["kept phrase \u201cgrowth plan\u201d missing"]
    assert _reasons(source, "Our growth plans start today.", keep) == [
        "kept phrase \u201cgrowth plan\u201d missing"]  # word-bounded


def test_missing_keeps_names_empty_and_absent_phrases() -> None:
    assert missing_keeps("The cat sat.", ["cat", " ", "dog", "ca"]) == [" ", "dog", "ca"]


def test_a_kept_phrase_absent_from_a_sentence_is_not_protected_there() -> None:
    """Per sentence: a phrase of another sentence of the paragraph puts no demand on this one."""
    assert check_candidate("The cat sat.", "A cat was sitting.", keep=("dog",)) == []


# --------------------------------------------------------------------------- runtime hygiene

def test_facts_imports_only_the_standard_library() -> None:
    """The runtime modules import no third-party package and read no file (no ../shared at run time)."""
    root = Path(__file__).resolve().parents[2] / "models"
    for name in ("facts.py", "facts_words.py"):
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
        assert imported <= {"__future__", "logging", "re", "unicodedata", "collections", "dataclasses",
                            "decimal", "fractions"}, (name, imported)
        calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call)
                 and isinstance(node.func, ast.Name)}
        assert "open" not in calls, name


@pytest.mark.parametrize(("text", "values"), [
    ("The Dow fell $2,800 to 11.64 points.", ["$2800", "11.64"]),  # a level in points, not $11.64
    ("It cost $3 to 5 a share.", ["$3", "$5"]),  # still a money range
    ("Prices were $4-5 points.", ["$4", "$5"]),  # a dash always joins a range
    ("It rose $4 to 5.", ["$4", "$5"]),
])
def test_to_after_money_is_a_range_only_without_a_measure_of_its_own(text: str, values: list[str]) -> None:
    assert _values(text) == values


def test_a_level_after_a_money_change_is_kept_as_written() -> None:
    assert _reasons("The Dow fell $2,800 to 11.64 points.", "The Dow lost $2,800, ending at 11.64 points.") == []


def test_a_year_before_a_money_amount_stays_a_year() -> None:
    """"between 2001 and 2002 to $42,409": the range rule must not make 2002 into $2,002, and a
    year has no thousands-separated form for the decoder to write."""
    from models.facts import check_candidate, protected_spans

    source = "Median household income fell between 2001 and 2002 to $42,409."
    years = [span for span in protected_spans(source) if span.text == "2002"]
    assert [span.forms for span in years] == [("2002",)]
    assert check_candidate(source, "Between 2001 and 2002, median household income fell to $42,409.") == []
    assert check_candidate(source, "Between 2001 and 2003, median household income fell to $42,409.") != []


@pytest.mark.parametrize(("source", "candidate", "invented"), [
    ("Yesterday, two diplomats were killed near Tikrit.", "On Friday, two diplomats were killed near Tikrit.",
     "Friday"),
    ("The vote was delayed until next month.", "The vote was delayed until March.", "March"),
])
def test_an_invented_day_or_month_is_a_violation(source: str, candidate: str, invented: str) -> None:
    from models.facts import check_candidate

    assert [v.text for v in check_candidate(source, candidate)] == [invented]


@pytest.mark.parametrize(("source", "candidate"), [
    ("On Sunday August 3, the House voted.", "The House voted on Sunday, August 3."),
    ("The shop opens on Mondays in May.", "In May, the shop opens every Monday."),
    ("Theresa May spoke on Dec. 10.", "On December 10, Theresa May gave a speech."),
    ("You may leave now.", "May I suggest you leave now."),
])
def test_days_and_months_the_source_names_are_no_violation(source: str, candidate: str) -> None:
    from models.facts import check_candidate

    assert check_candidate(source, candidate) == []



@pytest.mark.parametrize(("source", "candidate"), [
    # a lower-case source (a writer typing fast, the teachers' lower-cased seeds): the candidate
    # capitalises the day or month; both were refused as a "new day" / "new month"
    ("show me the latest flight on wednesday from atlanta", "Show me the latest flight on Wednesday from Atlanta."),
    ("what flights leave on july seventh", "Which flights depart on July 7?"),
    ("what flights leave on july seventh", "which flights depart on july 7"),
    ("we meet on mondays", "We meet every Monday."),
    ("i may go in march", "I might go in March."),  # lower-case "march" is not protected, but no new month
    # "may" or "march" next to a day is the month, and kept in any of its forms (teacher seeds)
    ("what is the smallest aircraft arriving may seventh", "What is the smallest plane arriving on May 7th?"),
    ("what is the smallest aircraft arriving may seventh", "which is the tiniest plane arriving on the 7th of may"),
    ("what is the smallest aircraft arriving may seventh", "what plane lands on the seventh day of may"),
    ("flights on march 5th from denver", "Flights from Denver on March 5."),
])
def test_a_lower_case_day_or_month_may_be_capitalised(source: str, candidate: str) -> None:
    from models.facts import check_candidate

    assert check_candidate(source, candidate) == []


@pytest.mark.parametrize(("source", "candidate", "violations"), [
    # a lower-case day or month is kept like a capitalised one (held-out dev: "on wednesday" dropped)
    ("show me the latest flight on wednesday from atlanta", "Show me the latest flight from Atlanta.",
     ["day wednesday missing"]),
    ("what flights leave on july seventh", "Which flights depart on August 7?",
     ["month july missing"]),  # the new month is not reported twice, as for "May 22" -> "June 22"
    ("the shop opens on mondays", "The shop opens on Tuesdays.", ["day mondays missing", "new day Tuesday"]),
    # "may" and "march" in lower case are verbs far more often: not protected
    ("you may march on", "You can walk on.", []),
    ("we may first ask them", "We could ask them first.", []),
    # ... but not before a day (student v2 on held-out dev dropped it)
    ("what is the smallest aircraft that flies from pittsburgh to baltimore arriving may seventh",
     "What is the smallest aircraft that operates from Pittsburgh to Baltimore, arriving seventh?",
     ["month may missing"]),
    ("flights on march 5th from denver", "Flights from Denver on the 5th.", ["month march missing"]),
])
def test_a_lower_case_day_or_month_is_kept(source: str, candidate: str, violations: list[str]) -> None:
    from models.facts import check_candidate

    assert sorted(v.reason for v in check_candidate(source, candidate)) == sorted(violations)

# -- names the source does not have ------------------------------------------------------------
# The first four were shown by the app on held-out news and dev sentences (runs/s22).

@pytest.mark.parametrize(("source", "candidate", "new"), [
    ("The international gymnastics federation asks Paul Hamm, a US gymnast, to give up his gold medal.",
     "The federation asks Paul Hamm, a US gymnast from South Korea, to give up his gold medal.", ["South Korea"]),
    ("Police Commissioner Raymond W. Kelly was at the center.",
     "Deputy Chief John Kagan and Police Commissioner Raymond W. Kelly were at the center.",
     ["Deputy Chief John Kagan"]),
    ("Josef Ackermann has given a working group the task of investigating speculation.",
     "Josef Ackermann has been tasked by the Global Fund to investigate speculation.", ["Global Fund"]),
    ("How long is my drive to Oceanside?", "How long does it take to drive to the Oasis?", ["Oasis"]),
    ("Damjanovic took a shot.", "Damianović took a shot.", ["Damianović"]),  # misspelt: not the source's name
    ("The concert is at 2 p.m. in Dejvice.", "The concert is at 2 p.m. in Las Vegas, near Dejvice.", ["Las Vegas"]),
])
def test_a_name_the_source_lacks_is_a_violation(source: str, candidate: str, new: list[str]) -> None:
    violations = check_candidate(source, candidate)
    assert [v.text for v in violations if v.kind == NEW_NAME] == new
    assert [v.reason for v in violations if v.kind == NEW_NAME] == [f"new name {n}" for n in new]


# A name kept in part, with a word that can only be a name's and is in no form in the source
# (the first three were shown by the app on held-out ASSET and news sentences, runs/s33).
@pytest.mark.parametrize(("source", "candidate", "new"), [
    ("The current Dalai Lama, Tenzin Gyatso, is held to be the fourteenth.",
     "The current Dalai Lama, Tenzin Gyatso, is the fourteenth. Tenzin Yagyu was the first.", ["Tenzin Yagyu"]),
    ("Martin wrestled for World Wrestling Federation (later World Wrestling Entertainment).",
     "Martin wrestled for World Wrestling Federation (later World WShrSt Entertainment).",
     ["World WShrSt Entertainment"]),
    ("The Government of Yoshihiko Noda does not lower taxes.",
     "The Government of Yoshiharu Yukawa does not lower taxes.", ["Government of Yoshiharu Yukawa"]),
    ("Perry has since called two special sessions.", "Since then, Texas Gov. Rick Perry has called two sessions.",
     ["Texas Gov. Rick Perry"]),                                                      # a first name made up
    ("salvador perez jr hit a home run.", "Salvadio Perez hit a home run.", ["Salvadio Perez"]),  # lower-case source
    ('"No," said Mr. Feith.', '"No," said Douglas Feith.', ["Douglas Feith"]),  # the title's place taken by a first name
])
def test_a_name_kept_in_part_with_a_made_up_word_is_new(source: str, candidate: str, new: list[str]) -> None:
    violations = check_candidate(source, candidate)
    assert [v.text for v in violations if v.kind == NEW_NAME] == new


@pytest.mark.parametrize(("source", "candidate"), [
    ("How do I get to the Kent State campus?", "How do I get to the Kent State University campus?"),
    ("Yahoo and SBC are enhancing their partnership.", "Yahoo and SBC Communications Inc. are working together."),
    ("He flew Delta to Atlanta.", "He flew Delta Airlines to Atlanta."),
    ("The US and North Korea talked.", "US-North Korea talks took place."),
    ("The storm tracked up the East Coast of the United States.", "The storm moved up the East Coast of America."),
])
def test_a_name_completed_by_a_common_word_or_an_alias_is_not_new(source: str, candidate: str) -> None:
    assert [v for v in check_candidate(source, candidate) if v.kind == NEW_NAME] == []


@pytest.mark.parametrize(("source", "candidate"), [
    ("He blamed congressional failure.", "He blamed Congress's failure."),          # a source word's start
    ("In dozens of scenes he shows the war.", "In dozens of scenes he shows the War."),  # any case
    ("Axel Weber praised Switzerland.", "Axel Weber praised the Swiss."),           # its people
    ("Sales in Spain rose.", "Sales in Spain rose, Spanish firms said."),
    ("Rockets hit the capital of Iraq.", "Rockets hit the Iraqi capital."),          # a demonym
    ("The U.S. economy grew.", "The American economy grew."),                         # an alias
    ("GBI spokesman John Bankhead said so.", "Georgia Bureau of Investigation spokesman John Bankhead said so."),
    ("Georgia Bureau of Investigation spokesman John Bankhead said so.", "GBI spokesman John Bankhead said so."),
    ("Chen warned us.", "Dr. Chen warned us."),                                       # a title alone is no name
    ("it was fine, i think.", "I've found it fine."),                                 # never a name
    ("the cat sat on the mat.", "The cat sat on the mat."),                           # sentence start
])
def test_a_name_the_source_has_in_another_form_is_not_new(source: str, candidate: str) -> None:
    assert [v for v in check_candidate(source, candidate) if v.kind == NEW_NAME] == []


@pytest.mark.parametrize(("source", "candidate", "split"), [
    # held-out news at 0.5: name and number both kept, the school's name still lost
    ('P.S. 36 "s budget was cut by 3.26 percent this year.', "P.S., 36, the funding for schools was cut by 3.26 percent.",
     ["P.S. 36"]),
    ("Apollo 11 landed on the Moon in 1969.", "In 1969, 11 astronauts of Apollo landed on the Moon.", ["Apollo 11"]),
    ("She upgraded to Windows 10 last week.", "Last week she installed 10 Windows.", ["Windows 10"]),
    ("Games include Super Mario 3 and Star Fox 64.", "Super Mario and Star Fox are among 3 or 64 games.",
     ["Super Mario 3", "Star Fox 64"]),
    # kept together, possessive or "No."/"#" between or not
    ("P.S. 36 lost money.", "P.S. 36's budget lost money.", []),
    ("She upgraded to Windows 10 last week.", "Last week she moved to Windows #10.", []),
    ("Flight 370 vanished.", "Flight No. 370 disappeared.", []),
    # no numbered name: a year, a unit, a weekday or a comma between
    ("He joined Microsoft 2010 plans.", "Microsoft's 2010 plans drew him in.", []),
    ("Shares of Apple 3 percent higher.", "Apple's shares were 3 percent higher.", []),
    ("The meeting is on Friday 13 at noon.", "The meeting is at noon on the 13th, a Friday.", []),
    ("Smith, 45, said so.", "The 45-year-old Smith said so.", []),
])
def test_a_name_numbered_by_the_number_after_it_stays_numbered(source: str, candidate: str, split: list[str]) -> None:
    violations = check_candidate(source, candidate)
    assert [v.text for v in violations if v.kind == NUMBERED_NAME] == split
    assert [v.reason for v in violations if v.kind == NUMBERED_NAME] == [f"{s} split" for s in split]


@pytest.mark.parametrize(("source", "candidate", "violations"), [
    # held-out news at the default slider: the vague count of millions was lost and passed
    ("In total, 169 000 cases were unjustified, out of several million employees.",
     "In total, 169,000 cases were unjustified, out of a countable number of employees.",
     ["number several million missing"]),
    ("Out of several million employees.", "Out of millions of employees.", []),
    ("Out of several million employees.", "Out of several thousand employees.",
     ["new number several thousand", "number several million missing"]),
    ("They raised a few hundred dollars.", "They raised hundreds of dollars.", []),
    ("Several hundred thousand users signed up.", "Hundreds of thousands of users signed up.", []),
    ("Millions of people watched.", "Several million people watched.", []),
])
def test_a_vague_count_of_a_scale_word_is_its_order_of_magnitude(source: str, candidate: str,
                                                                  violations: list[str]) -> None:
    assert sorted(str(v) for v in check_candidate(source, candidate)) == sorted(violations)


@pytest.mark.parametrize(("source", "candidate", "violations"), [
    ("He was sentenced to two and a half years.", "He was sentenced to two years.",
     ["new number two", "number two and a half missing"]),
    ("He was sentenced to two and a half years.", "He got a 2.5-year sentence.", []),
    ("He was sentenced to two and a half years.", "He was jailed for 2 and a half years.", []),
    ("About two and a half million people voted.", "About 2.5 million people voted.", []),
    ("It was his first visit in a year and a half.", "It was his first visit in over a year.",
     ["number a year and a half missing"]),
    ("It was his first visit in a year and a half.", "It was his first visit in one and a half years.", []),
    ("They talked for an hour and a half.", "They talked for 1.5 hours.", []),
    ("The first stay lasted a little over a week.", "The first stay lasted a week and a half.",
     ["new number a week and a half"]),
    ("She ate half the cake.", "She ate half of the cake.", []),  # "half" alone is no number here
    # "half a million", "a dozen": "Half a million people marched" -> "A million people marched" passed
    ("Half a million people marched.", "A million people marched.",
     ["new number A million", "number Half a million missing"]),
    ("Half a million people marched.", "500,000 people marched.", []),
    ("He bought half a dozen eggs.", "He bought six eggs.", []),
    ("He bought half a dozen eggs.", "He bought a dozen eggs.", ["new number a dozen", "number half a dozen missing"]),
    ("They were indicted on 12 counts.", "They were indicted on a dozen counts.", []),
    ("Two dozen people came.", "24 people came.", []),
    ("It was rewritten a dozen times.", "It was rewritten many times.", ["number a dozen missing"]),
    ("We waited a dozen and a half minutes.", "We waited 18 minutes.", []),
])
def test_and_a_half_is_part_of_the_number(source: str, candidate: str, violations: list[str]) -> None:
    """"two and a half years" -> "two years" kept the "two" and passed (teacher pairs had it)."""
    assert sorted(str(v) for v in check_candidate(source, candidate)) == sorted(violations)


@pytest.mark.parametrize(("source", "candidate", "violations"), [
    # held-out news at the default slider: the multiplier changed and passed
    ("SAP plans to invest billions and almost double its workforce in China.",
     "SAP plans to invest billions and almost quadruple its workforce in China.",
     ["new number quadruple", "number double missing"]),
    ("SAP plans to almost double its workforce.", "SAP plans to nearly twice its workforce.", []),
    ("Sales doubled last year.", "Sales rose two times last year.", []),
    ("Sales doubled last year.", "Sales went up last year.", ["number doubled missing"]),
    ("Sales rose last year.", "Sales doubled last year.", ["new number doubled"]),
    ("Prices tripled since 2010.", "Prices rose threefold since 2010.", []),
    ("Earnings more than doubled.", "Earnings doubled.", ["number more than doubled changed to doubled"]),
    ("On at least two occasions the court ruled.", "At least twice, the court ruled.", []),
    ("At least twice, the court ruled.", "On at least two occasions the court ruled.", []),
    ("He visited twice.", "He made two visits.", []),  # "twice" is also a count
    # a multiplier verb is kept only by a multiplier, not by a "two" elsewhere in the sentence
    ("Prices doubled in two years.", "Prices rose in two years.", ["number doubled missing"]),
    ("Profits doubled to 2 million.", "Profits rose to 2 million.", ["number doubled missing"]),
    ("Sales doubled over two years.", "Sales rose two times over two years.", []),
    # no multipliers: a kind of room, a checking twice, a second role, an idiom
    ("We booked a double room.", "We booked a double room for the night.", []),
    ("The team will double-check the figures.", "The team will check the figures again.", []),
    ("It serves as a bar.", "It doubles as a bar.", []),
    ("Don't do it.", "Think twice before doing it.", []),
])
def test_a_multiplier_is_a_number(source: str, candidate: str, violations: list[str]) -> None:
    assert sorted(str(v) for v in check_candidate(source, candidate)) == sorted(violations)


@pytest.mark.parametrize(("text", "rewordable"), [
    ("42", False), ("Q3 2024", False), ("b02", False), ("iPhone 15", False), ("Paris", False),
    ("John Smith", False), ("March 5, 2024", False), ("$4.3 million", False), ("New York, USA", False),
    ("@bob", False), ("www.example.com", False), ("U.S.", False),
    ("ok", True), ("Chapter 3", True), ("Thanks, John.", True), ("Sales rose 5%.", True),
    ("One.", True),  # a weak number may be reworded
    ("Mr. and Mrs. Smith", True),
])
def test_a_text_of_only_names_numbers_and_codes_has_nothing_to_reword(text: str, rewordable: bool) -> None:
    assert SourceFacts(text).rewordable is rewordable


def test_a_frozen_phrase_leaves_nothing_to_reword_when_it_is_the_whole_text() -> None:
    assert SourceFacts("Blue sky thinking", keep=("Blue sky thinking",)).rewordable is False
    assert SourceFacts("Blue sky thinking", keep=("Blue sky",)).rewordable is True


def test_a_decimal_comma_is_the_number_a_decimal_point_writes() -> None:
    """Student v2 wrote "between 0.six and 0,9" for "between 0,6 and 0,9%": "0,6" was read as 0 and 6,
    so "0.six" kept both and a right "0.6" was refused as a new number."""
    source = "A rise of 1% causes an increase of between 0,6 and 0,9% in real pay."
    assert not _reasons(source, "A 1% rise causes an increase of between 0.6 and 0.9% in real pay.")
    assert _reasons(source, "A 1% rise brings an increase of between 0.six and 0,9% in real pay.")
    assert _reasons(source, "A 1% rise causes an increase of between 6 and 9% in real pay.")
