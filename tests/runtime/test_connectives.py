"""The contrast rule and the invented-cause rule (models/connectives.py): cases from the
student's real output, the uses of "but" and "yet" that draw no contrast, and causes a source
hints at, which a candidate may state."""

from __future__ import annotations

import pytest

from models.connectives import (cause_words, draws_contrast, dropped_cause, dropped_link, invented_cause,
                                keeps_contrast, restore_link, stated_causes)


@pytest.mark.parametrize(("sentence", "draws"), [
    ("The wings were crispy, however they were skimpy on the sauce.", True),
    ("Although it rained, we went out.", True),
    ("It rained; we went out though.", True),
    ("Despite the warnings of Dr. Chen, costs rose.", True),
    ("The bank is not in Italy or France, but in Switzerland.", True),
    ("It failed, however.", True),
    ("But this is thought to be unlikely by the constructors.", False),  # a link to the sentence before
    ("However, the plan failed.", False),
    ("Yet the plan failed.", False),
    ("It is all but certain.", False),
    ("There was nothing but rain.", False),
    ("It is not only cheap but also good.", False),
    ("He has not yet won a title.", False),
    ("The team has yet to win, and yet another coach left.", False),
    ("We haven't even eaten yet and the drinks are here.", False),
    ("It was late, yet we stayed.", True),
    ("It was late and yet we stayed.", True),
    ("I can't help but question the impact.", False),
    ("We went to the park.", False),
    ("", False),
])
def test_draws_contrast_only_inside_the_sentence(sentence: str, draws: bool) -> None:
    assert draws_contrast(sentence) is draws


def test_a_lost_contrast_is_refused_and_a_reworded_one_kept() -> None:
    bank = "The most risk-taking bank in Europe is not in Italy or France, but in Switzerland."
    assert not keeps_contrast(bank, "The most risky bank in Europe is not situated on Italy, France or Switzerland.")
    assert keeps_contrast(bank, "Europe's riskiest bank is in Switzerland rather than Italy or France.")
    wings = "delivery was timely wings were cooked nice and crispy however they were very skimpy on the sauce"
    assert not keeps_contrast(wings, "The delivery was timely, the wings were cooked nice and crispy on the sauce.")
    assert keeps_contrast(wings, "The delivery was on time and the wings were crispy, but there was little sauce.")
    children = "Though over 40% of children do sports regularly, the number drops to 15% for their parents."
    assert keeps_contrast(children, "While over 40% of children play sports regularly, only 15% of parents do.")
    assert keeps_contrast(children, "Over 40% of children do sports regularly; their parents, in contrast, 15%.")
    assert keeps_contrast("The food was okay, not the greatest but not the worst.",
                          "The food was decent, not the best but also not the worst.")  # "but also" without "not only"
    assert keeps_contrast("Despite escalating conflict in Iraq, Bush pledged to stay the course.",
                          "Even with the growing conflict in Iraq, Bush pledged to keep the current strategy.")
    # the candidate's "all but" is no contrast either
    assert not keeps_contrast("It rained, but we went out.", "It rained and we all but went out.")
    # no contrast in the source: nothing to keep
    assert keeps_contrast("But this is unlikely.", "This is improbable.")
    assert keeps_contrast("We went to the park.", "We visited the park.")
    # curly apostrophes are read like straight ones
    assert not draws_contrast("It can\u2019t but help.")


@pytest.mark.parametrize(("source", "candidate", "link"), [
    # the student's rows at the default slider (runs/s34/link_old.jsonl)
    ("However, scientists led by physicist Frank McDonald of the University of Maryland disagree.",
     "Frank McDonald of the University of Maryland has a differing opinion.", "However"),
    ("But JT was careful to clarify that it was \"not certain about the outcome.\"",
     "JT clarified that it was not certain about the outcome.", "But"),
    ("In addition, many feel that they are being pathologized for simply being different.",
     "Many feel that they are being judged for simply being different.", "In addition"),
    ("As a result, the vote was postponed.", "The vote was postponed.", "As a result"),
])
def test_a_dropped_link_to_the_sentence_before_is_found(source: str, candidate: str, link: str) -> None:
    assert dropped_link(source, candidate) == link


@pytest.mark.parametrize(("source", "candidate"), [
    ("However, the plan failed.", "The plan, however, failed."),   # moved
    ("But the train left without us.", "Yet the train left without us."),   # reworded, same kind
    ("As a result, the vote was postponed.", "The vote was therefore postponed."),
    ("Moreover, the team won.", "The team won too."),
    ("Still waters run deep.", "Quiet waters are deep."),   # no link: "still" without its comma
    ("However hard he tried, he failed.", "He failed."),   # "however hard": no link
    ("Instead of going out, we stayed home.", "We stayed home."),
    ("\"But we won,\" he said.", "He said we won."),   # the speaker's link, inside the quotation
])
def test_a_kept_or_absent_link_is_not_a_dropped_one(source: str, candidate: str) -> None:
    assert dropped_link(source, candidate) == ""
    assert restore_link(source, candidate) == candidate


@pytest.mark.parametrize(("source", "candidate", "restored"), [
    ("However, scientists led by Frank McDonald disagree.", "Frank McDonald has a differing opinion.",
     "However, Frank McDonald has a differing opinion."),   # a name keeps its capital
    ("However, scientists led by Frank McDonald disagree.", "A scientific group led by Frank McDonald disagrees.",
     "However, a scientific group led by Frank McDonald disagrees."),
    ("However the registration law changed in 2006.", "The law changed in 2006.", "However the law changed in 2006."),
    ("Nevertheless, NASA went on.", "NASA continued.", "Nevertheless, NASA continued."),   # an acronym
    ("Still, the plan worked.", "I think the plan worked.", "Still, I think the plan worked."),
    ("But he added: \"You can't win elections that way.\"", "\"You can't win elections that way,\" he added.",
     "But \"You can't win elections that way,\" he added."),   # a quotation keeps its capital
])
def test_the_writers_link_is_put_back_in_front(source: str, candidate: str, restored: str) -> None:
    assert restore_link(source, candidate) == restored
    assert dropped_link(source, restored) == ""


@pytest.mark.parametrize("row", ["", "   ", "...", "?!"])
def test_a_row_without_words_gets_no_link_to_hide_behind(row: str) -> None:
    assert restore_link("However, it rained all day.", row) == row  # the empty-row check still sees it


ITALY = ("In recent days, Italy's borrowing costs have soared dangerously and the prime ministers of both Italy "
         "and Greece have resigned.")


@pytest.mark.parametrize(("source", "candidate", "link"), [
    # student v2's shown cards: a cause made up between two facts set side by side
    (ITALY, "Italy's borrowing costs have soared dramatically, causing the Prime Ministers of both Italy and "
            "Greece to resign.", "causing"),
    (ITALY, "The borrowing costs in Italy and Greece have soared dramatically, leading to the resignation of both "
            "countries' prime ministers.", "leading to"),
    ("And Panetta said that some of the biggest defense projects could face the ax, including those already being "
     "tested and some just in early stages of planning.",
     "Panetta commented that certain defense projects could face the axe due to their recent existence and early "
     "stages of planning.", "due to"),
    ("horrible food very bad services i want to do 5 star",
     "The food is terrible and the service to be avoided, so I'm looking for a 5-star rating.", "so"),
    ("The pool is old and the hotel is the worst on the strip.",
     "The pool is old, which made it the worst hotel on the strip.", ""),  # "made": not a linking form
    ("The pool is old and the hotel is the worst on the strip.",
     "The pool is old, which led to the worst hotel on the strip.", "which led"),
    ("The team won and the coach smiled.", "The coach smiled because the team won.", "because"),
    ("The team won and the coach smiled.", "As a result of the win, the coach smiled.", "As a result"),
])
def test_a_cause_the_source_does_not_draw_is_found(source: str, candidate: str, link: str) -> None:
    assert invented_cause(source, candidate) == link


@pytest.mark.parametrize(("source", "candidate"), [
    # the source hints at a cause: stating it is a rewording
    ("The flight was cancelled after the storm hit the coast.", "The flight was cancelled due to the storm."),
    ("The house was destroyed by fire.", "The house was lost due to a fire."),
    ("Two bombs exploded on Friday, killing nine people.", "Two bombs exploded on Friday, resulting in nine deaths."),
    ("Hungry Labrador turns on hotplate - apartment fire", "A hungry Labrador turned on the hotplate, causing a fire."),
    ("Since it rained, we stayed in.", "We stayed in because it rained."),
    ("The study produced a culture of fear.", "The study has led to a culture of fear."),
    # no cause stated at all
    ("The team won and the coach smiled.", "The coach smiled and the team won."),
    # "due to" after "be" is a date, not a cause; "so" and "thus" that link nothing
    ("The men will appear in court on Monday.", "The men are due to appear in court on Monday."),
    ("We have come a long way.", "We have come this far, so far."),
    ("Nothing has changed.", "Thus far, nothing has changed."),
    ("", ""),
])
def test_a_cause_the_source_hints_at_or_none_at_all_passes(source: str, candidate: str) -> None:
    assert invented_cause(source, candidate) == ""


@pytest.mark.parametrize(("source", "candidate", "dropped"), [
    # a cause left out while both halves stay
    ("The match was cancelled because of the heavy rain.", "The match was cancelled during the heavy rain.",
     "because"),
    ("Sales fell because prices rose sharply.", "Sales fell and prices rose sharply.", "because"),
    ("Sales fell because prices rose sharply.", "Sales fell while prices rose sharply.", "because"),
    ("Revenue rose 12%, driven by strong sales in Germany.", "Revenue rose 12%, indicating strong sales in Germany.",
     "driven by"),
    ("The museum was closed for renovations, so we spent the afternoon in the park.",
     "The museum was closed for renovations and we spent the afternoon in the park.", "so"),
    ("The storm cut power to 5,000 homes, forcing schools to close.",
     "The storm cut power to 5,000 homes and schools were closed.", "forcing"),
    ("Heavy snow led to the cancellation of 200 flights.", "200 flights were cancelled during heavy snow.", "led to"),
    # "by" of an amount and "as" of a comparison keep no cause (student v2 wrote this one for the demo)
    ("Our quarterly revenue rose 12% to $4.3 million, driven by strong sales in Germany.",
     "The quarterly revenues increased by 12% to $4.3 million, the highest in Germany.", "driven by"),
    ("Sales fell because prices rose.", "Sales fell as well as prices.", "because"),
    # the same cause said another way is kept
    ("The match was cancelled because of the heavy rain.", "Heavy rain forced the cancellation of the match.", ""),
    ("The match was cancelled because of the heavy rain.", "The match was called off due to the heavy rain.", ""),
    ("Sales fell because prices rose sharply.", "Sales dropped since prices went up sharply.", ""),
    ("Between 50 and 100 people die a year due to these allergies.",
     "Between 50 and 100 persons die annually from these allergies.", ""),
    ("Two ships resurfaced due to low water levels.", "Two ships resurfaced as water levels fell.", ""),
    ("Revenue rose 12%, driven by strong sales in Germany.", "Strong sales in Germany boosted revenue by 12%.", ""),
    ("Revenue rose 12%, driven by strong sales in Germany.", "Strong sales in Germany lifted revenue by 12%.", ""),
    ("He lost his job because of the merger.", "He was let go as the firms merged.", ""),
    # no cause stated: nothing to keep
    ("The report is due to be released on Monday.", "The report will come out on Monday.", ""),
    ("She is due to appear in court.", "She will appear in court.", ""),
    ("So far, so good.", "Until now it has gone well.", ""),
    ("I like it, so do I.", "We both like it.", ""),
    ("Which road leads to the station?", "How do I get to the station?", ""),
    ("The path that leads to my house is muddy.", "The path to my house is muddy.", ""),
    ("It was raining and we stayed in.", "We stayed inside while it rained.", ""),
])
def test_a_stated_cause_is_refused_only_when_nothing_causal_is_left(source: str, candidate: str,
                                                                    dropped: str) -> None:
    assert dropped_cause(source, candidate) == dropped


def test_cause_words_are_those_of_the_stated_causes() -> None:
    assert cause_words("Revenue rose 12%, driven by strong sales in Germany.") == {"driven", "by"}
    assert cause_words("The river\u2019s level fell because it didn\u2019t rain.") == {"because"}
    assert cause_words("The path that leads to my house is muddy.") == frozenset()
    assert [found.group(0) for found in stated_causes("Due to the strike, flights were cancelled, so we drove.")] == [
        "Due to", ", so "]
