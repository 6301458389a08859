"""Two names that changed places (models.roles) and the pipeline check that refuses them."""

from __future__ import annotations

import pytest

from models.pipeline import KeepsRoles, Source, app_checks, default_pipeline
from models.roles import changed_sex, flipped_voice, swapped, swapped_comparison, swapped_names, swapped_numbers, swapped_words

SOURCE = "Maria sent the contract to Tom after the lawyers had approved it."


@pytest.mark.parametrize(("source", "candidate", "pair"), [
    (SOURCE, "Tom sent the contract to Maria after the lawyers had approved it.", ("Maria", "Tom")),
    ("Germany beat Brazil 7-1 in Belo Horizonte.", "Brazil beat Germany 7-1 in Belo Horizonte.", ("Germany", "Brazil")),
    ("The flight goes from Paris to London.", "The flight goes from London to Paris.", ("Paris", "London")),
    ("Kabir asks Sarika to reveal his plan.", "Sarika asks Kabir to reveal his plan.", ("Kabir", "Sarika")),
    # a possessive is the name's mention; curly apostrophes are apostrophes
    ("Tom's sister called Maria.", "Maria’s sister called Tom.", ("Tom", "Maria")),
    # the word after a possessive name goes with it; particles are inside a name (student v2, Simpler, ASSET)
    ("Poutrincourt's son bequeathed the settlement to Charles de Saint-Étienne de la Tour upon his own death in 1623.",
     "Charles de Saint-Étienne de la Tour bequeathed the settlement to Poutrincourt's son in 1623.",
     ("Poutrincourt", "Charles de Saint-Étienne de la Tour")),
    ("Maria de la Cruz sued Tom in Paris.", "Tom sued Maria de la Cruz in Paris.", ("Maria de la Cruz", "Tom")),
    # a name's article moves with it: "the" before the bank in both is no sign it kept its place
    ("The Bank of America sued Tom.", "Tom sued the Bank of America.", ("Bank of America", "Tom")),
    ("Maria sent the contract to the BBC.", "The BBC sent the contract to Maria.", ("Maria", "BBC")),
    # a word two names share tells neither apart, the others still do
    ("Bahrawal is in the Bhopal district and in the Berasia tehsil.",
     "Bahrawal is in the Berasia district and in the Bhopal tehsil.", ("Bhopal", "Berasia")),
])
def test_names_that_changed_places_are_found(source: str, candidate: str, pair: tuple[str, str]) -> None:
    assert swapped_names(source, candidate) == [pair]
    assert not KeepsRoles().accepts(candidate, Source(source), [])


@pytest.mark.parametrize(("source", "candidate"), [
    # reordered, passive, the same roles
    (SOURCE, "After the lawyers had approved it, Maria sent the contract to Tom."),
    (SOURCE, "The contract was sent to Tom by Maria after the lawyers had approved it."),
    # an appositive turned round (the student's and the teachers' rewrites)
    ("Multifoods chairman Gary Costley said the sale was final.", "Gary Costley, the chairman of Multifoods, said the sale was final."),
    ("Europe's largest airline, British Airways, reported a profit.",
     "British Airways, the largest airline in Europe, reported a profit."),
    # names whose order says nothing: coordinated, listed, either side of "is"
    ("Maria and Tom signed the contract.", "Tom and Maria signed the contract."),
    ("He never played in the NBA or in the NCAA.", "He never played in the NCAA or in the NBA."),
    ("Ships came from Italy, France, Germany and Canada.", "Ships came from Canada, France, Germany and Italy."),
    ("Talks between Israel and Egypt resumed.", "Talks between Egypt and Israel resumed."),
    ("The Jets beat the Giants and the Bills.", "The Jets beat the Bills and the Giants."),
    ("The Bank of America sued Tom.", "Tom was sued by the Bank of America."),
    ("The pontiff of the Math is Pradyumnanand Swamiji.", "Pradyumnanand Swamiji is the pontiff of the Math."),
    # a converse keeps who did what
    ("Kuznetsova beat Davenport at the US Open.", "Davenport lost to Kuznetsova at the US Open."),
    ("Jonathan Woodgate's medical check with Real Madrid will be stringent.",
     "Real Madrid's medical examination of Jonathan Woodgate will be meticulous."),
    # a possessive name and its noun in place, the rest reworded
    ("Poutrincourt's son bequeathed the settlement to Charles de Saint-Étienne de la Tour upon his own death in 1623.",
     "Poutrincourt's son left the settlement to Charles de Saint-Étienne de la Tour when he died in 1623."),
    # fewer than two names, a name dropped or repeated: nothing to compare
    ("Maria sent the contract.", "The contract was sent by Maria."),
    (SOURCE, "Maria sent the contract after the lawyers had approved it."),
    (SOURCE, "Tom got the contract from Maria, and Maria was glad Tom had it."),
    ("", ""),
])
def test_faithful_or_unordered_names_pass(source: str, candidate: str) -> None:
    assert swapped_names(source, candidate) == []
    assert KeepsRoles().accepts(candidate, Source(source), [])


@pytest.mark.parametrize(("source", "candidate", "pair"), [
    ("The union sued the city over the layoffs.", "The city sued the union over the layoffs.", ("union", "city")),
    ("Exports grew faster than imports last year.", "Imports grew faster than exports last year.", ("exports", "imports")),
    # "and then" is an order, not a list
    ("He went to the shop and then to the bank.", "He went to the bank and then to the shop.", ("shop", "bank")),
    # a word both carry does not make a list of two verbs with their own names (PAWS-Wiki)
    ("The solution was accepted by Chile and rejected by Argentina.",
     "The solution was rejected by Chile and accepted by Argentina.", ("accepted", "rejected")),
    ("Only the first item wears the plural marker.", "Only the plural item wears the first marker.", ("first", "plural")),
])
def test_content_words_that_changed_places_are_found(source: str, candidate: str, pair: tuple[str, str]) -> None:
    assert swapped_words(source, candidate) == [pair]
    assert swapped(source, candidate) == [pair]
    assert not KeepsRoles().accepts(candidate, Source(source), [])


@pytest.mark.parametrize(("source", "candidate"), [
    ("The union sued the city over the layoffs.", "The city was sued by the union over the layoffs."),
    ("The union sued the city over the layoffs.", "Over the layoffs, the union took the city to court."),
    # coordinated words may trade places; a word said twice is not compared
    ("She bought apples and pears at the market.", "She bought pears and apples at the market."),
    ("The report said the report was late.", "The report was late, the report said."),
    # a list whose items share a word (PAWS-Wiki paraphrases the rule flagged before session 45)
    ("The line-up is focused on indie music and alternative music.",
     "The line-up is focused on alternative music and indie music."),
    ("This depth compares with the maximum depths of Lake Michigan and Lake Huron.",
     "This depth compares with the maximum depths of Lake Huron and Lake Michigan."),
    ("Both the European version and the North American version are in English.",
     "Both the North American version and the European version are in English."),
])
def test_content_words_in_their_own_places_pass(source: str, candidate: str) -> None:
    assert swapped(source, candidate) == []


@pytest.mark.parametrize(("source", "candidate", "pair"), [
    # both shown by student v2 on held-out news, every number kept
    ("The shooting killed six and wounded 13, the police said.", "The shooting led to 13 deaths and injured 6, the police said.",
     ("six", "13")),
    ("Treasury prices rose, sending the yield down to 4.38 percent from 4.39 percent late Friday.",
     "Treasury prices rose, and the yield fell to 4.39 percent from 4.38 percent late Friday.",
     ("4.38 percent", "4.39 percent")),
    ("Sales rose from $5 million to $7 million.", "Sales rose from $7 million to $5 million.", ("$5 million", "$7 million")),
])
def test_numbers_that_changed_places_are_found(source: str, candidate: str, pair: tuple[str, str]) -> None:
    assert swapped_numbers(source, candidate) == [pair]
    assert not KeepsRoles().accepts(candidate, Source(source), [])


@pytest.mark.parametrize(("source", "candidate"), [
    ("The yield fell to 4.38 percent from 4.39 percent.", "The yield fell from 4.39 percent to 4.38 percent."),
    ("The index was up 8.79 points, or 0.96 percent, at 929.06.", "The index rose 0.96 percent, or 8.79 points, to 929.06."),
    ("The team won 3 games and lost 2.", "The team lost 2 games and won 3."),
    ("It costs $5.", "The price is five dollars."),
])
def test_numbers_in_their_own_places_pass(source: str, candidate: str) -> None:
    assert swapped_numbers(source, candidate) == []


def test_a_swap_of_names_is_reported_once_with_the_names_as_written() -> None:
    assert swapped("Germany beat Brazil in Belo Horizonte.", "Brazil beat Germany in Belo Horizonte.") == [
        ("Germany", "Brazil")]


def test_the_app_checks_names_after_facts_and_before_the_scorer() -> None:
    names = [check.name for check in app_checks()]
    assert names.index("facts") < names.index("roles") < names.index("duplicate")
    assert "roles" in [check.name for check in default_pipeline().checks]


def test_the_pipeline_refuses_the_swap_and_keeps_the_faithful_row() -> None:
    pipeline = default_pipeline()
    source = Source(SOURCE)
    swapped = "Tom sent the contract to Maria after the lawyers had approved it."
    faithful = "After the lawyers had approved it, Maria sent the contract to Tom."
    assert pipeline.judge(swapped, source, []).refused_by.name == "roles"
    assert pipeline.judge(faithful, source, []).accepted


@pytest.mark.parametrize(("source", "candidate"), [
    # each passed every check before (0.31-0.42)
    ("The company was acquired by Google last year.", "The company acquired Google last year."),
    ("He was replaced by Smith as chief executive.", "He replaced Smith as chief executive."),
    ("Tom was beaten by Ana in the final.", "Tom beat Ana in the final."),
    ("The startup was bought by a rival firm.", "The startup bought a rival firm."),
    ("The senator was criticised by her own party.", "The senator criticised her own party."),
])
def test_a_passive_turned_active_with_its_agent_as_object_is_found(source: str, candidate: str) -> None:
    assert flipped_voice(source, candidate)
    assert not KeepsRoles().accepts(candidate, Source(source), [])


@pytest.mark.parametrize(("source", "candidate"), [
    ("The company was acquired by Google last year.", "Google acquired the company last year."),
    ("The company was acquired by Google last year.", "Last year the company was bought by Google."),
    ("Tom was beaten by Ana in the final.", "Ana beat Tom in the final."),
    ("The NVIDIA TITAN V was announced by Nvidia in 2017.", "Nvidia announced the Nvidia TITAN V in 2017."),
    ("The profit was reported by Kmart on Monday.", "In its latest report Kmart showed a profit on Monday."),
])
def test_a_passive_said_the_right_way_round_passes(source: str, candidate: str) -> None:
    assert flipped_voice(source, candidate) == []


@pytest.mark.parametrize(("source", "candidate"), [
    # each passed every check before (0.14-0.60)
    ("She earns more than her manager.", "Her manager earns more than she does."),
    ("Women live longer than men.", "Men live longer than women."),
    ("Our team scored twice as many goals as theirs.", "Their team scored twice as many goals as ours."),
    ("The new model is cheaper than the old one.", "The old model is cheaper than the new one."),
])
def test_a_comparison_turned_round_is_found(source: str, candidate: str) -> None:
    assert swapped_comparison(source, candidate)
    assert not KeepsRoles().accepts(candidate, Source(source), [])


@pytest.mark.parametrize(("source", "candidate"), [
    ("She earns more than her manager.", "She earns more than her manager does."),
    ("She earns more than her manager.", "Her manager earns less than she does."),       # said the other way, right
    ("Our team scored twice as many goals as theirs.", "We scored twice as many goals as they did."),
    ("The new model is cheaper than the old one.", "The new version costs less than the old one."),
    ("Women live longer than men.", "On average, women outlive men."),
])
def test_a_comparison_kept_passes(source: str, candidate: str) -> None:
    assert swapped_comparison(source, candidate) == []


@pytest.mark.parametrize(("source", "candidate", "changed"), [
    ("The CEO said she would resign in March.", "The CEO said he would resign in March.", True),   # passed at 0.54
    ("The coach said he was proud of the team.", "The coach said she was proud of the team.", True),
    ("The CEO said she would resign in March.", "The CEO announced a March resignation.", False),
    ("Mrs. Boncyk's husband took the car, so she caught a ride.", "Her husband took the car, so his wife got a "
     "ride.", False),                                                       # "his wife": a woman still
    ("Mary told John she was leaving.", "John heard from Mary that she was going.", False),
    ("Tom said his sister would come.", "Tom said she would come.", False),   # both sexes in the source
])
def test_a_persons_sex_is_kept(source: str, candidate: str, changed: bool) -> None:
    assert bool(changed_sex(source, candidate)) is changed
    assert KeepsRoles().accepts(candidate, Source(source), []) is not changed
