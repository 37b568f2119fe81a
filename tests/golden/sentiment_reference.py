"""Reference sentiment scores for Waymark's golden test.

Scores every comment of a fixed corpus with Python vaderSentiment 3.3.2, the
reference implementation of VADER (Hutto & Gilbert 2014), and writes one JSON
object per line to sentiment.jsonl: the text and its four scores exactly as
the reference returns them. tests/sentiment_golden.rs checks Waymark's scorer
and `waymark-cli sentiment` against the file.

    pip install vaderSentiment==3.3.2
    python3 tests/golden/sentiment_reference.py

The corpus is handwritten customer comments that exercise every rule
(negation and its window, "never so", "but", "least", ALL-CAPS emphasis,
boosters and dampeners, the idioms and special cases, "!" and "?", emoji,
emoticons), hostile and odd lines (markup, other scripts, empty, blank, very
long, only emoji), plus combinations drawn with a fixed seed.
"""

import json
import random
from pathlib import Path

import vaderSentiment
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

HANDWRITTEN = [
    "",
    " ",
    "\t",
    "   \t  ",
    "The delivery was great",
    "The delivery was not great",
    "The delivery was GREAT",
    "THE DELIVERY WAS GREAT",
    "The delivery was great!",
    "The delivery was great!!!",
    "The delivery was great!!!!!!!!",
    "Was the delivery great?",
    "Was the delivery great??",
    "Was the delivery great????",
    "Was the delivery great?!?!",
    "The app is very good",
    "The app is extremely good",
    "The app is kind of good",
    "The app is sort of good",
    "The app is kinda good",
    "The app is marginally good",
    "The app is barely good",
    "The app is VERY good",
    "The app is not very good",
    "The app isn't good",
    "The app isnt good",
    "The app is never good",
    "The app is never so good",
    "The app is never this good",
    "It was not bad at all",
    "Not bad",
    "Not the worst support I've had",
    "I did not like the chatbot, it was useless",
    "The store staff were helpful but the website was a disaster",
    "The website was a disaster but the store staff were helpful",
    "Good product but terrible, terrible support",
    "I least like the checkout page",
    "At least the refund was quick",
    "The least helpful agent ever",
    "Very least",
    "The support agent was the bomb",
    "That was the shit",
    "Yeah right, like they will ever call back",
    "This update is the kiss of death for the app",
    "The new plan doesn't cut the mustard",
    "Living hand to mouth because of the late refund",
    "A back handed compliment from the manager",
    "The checkout is bad ass",
    "Without doubt the best store in town",
    "I had to explain my problem three times to three different people",
    "Had to repeat my order number again. So frustrating!!!",
    "Had to repeat my order number again. SO FRUSTRATING!!!",
    "The chat bot kept asking the same questions :(",
    "Quick and easy :)",
    "Quick and easy :-D",
    "Love it <3",
    "Meh",
    "meh...",
    "ok",
    "OK",
    "Okay I guess",
    "Fine.",
    "It works",
    "Nothing to add",
    "N/A",
    "-",
    "???",
    "!!!",
    "...",
    "5/5 would recommend",
    "0/10 never again",
    "I would not recommend this bank to anyone",
    "I would never recommend this bank to anyone",
    "I'd recommend them, no doubt",
    "No problems at all",
    "No, it was not helpful",
    "Nope. Waste of time.",
    "Absolutely amazing service from start to finish",
    "Absolutely AMAZING service from start to finish!!",
    "Horrible. Horrible. Horrible.",
    "The worst experience I have ever had with an online store",
    "The best experience I have ever had with an online store",
    "I hate waiting on hold for 45 minutes",
    "I HATE waiting on hold for 45 minutes",
    "Waiting on hold for 45 minutes is not what I call support",
    "The email said my parcel was delivered. It was not.",
    "Support was friendly, but they could not fix the problem",
    "Support could not fix the problem, but they were friendly",
    "Friendly, helpful, fast. Thank you Sarah!",
    "Thanks for nothing",
    "Thanks a lot",
    "Thanks a lot for wasting my afternoon",
    "The app crashed twice during checkout 😡",
    "Great service 😀😀😀",
    "😀",
    "😡",
    "👍",
    "👎",
    "❤️",
    "🙂🙃",
    "🎉🎉 finally arrived",
    "It arrived broken 💔",
    "Not happy 😞",
    "lol the app froze again",
    "LOL the app froze again",
    "wtf is this fee",
    "WTF IS THIS FEE",
    "smh",
    "I'm not unhappy with the result",
    "It's not that the staff were rude, they just didn't care",
    "They didn't even say sorry",
    "Never had a better experience",
    "Never had a worse experience",
    "Nothing was wrong",
    "Nobody helped me",
    "None of the agents knew my history",
    "Cannot complain",
    "Can't complain",
    "Couldn't be happier",
    "Could not be happier",
    "Couldn't be worse",
    "Hardly helpful",
    "Scarcely any help",
    "Rather good",
    "Quite good",
    "Pretty good",
    "Pretty bad",
    "Really really really good",
    "Really really really bad",
    "Such a fantastic team",
    "So so disappointed",
    "Incredibly slow website",
    "Incredibly fast website",
    "Slow.",
    "Fast!",
    "Easy",
    "Difficult",
    "Frustrating and confusing process",
    "Seamless from the ad to the store",
    "The in-store pickup was seamless, the return was a nightmare",
    "Had to start over when the chat passed me to a phone agent",
    "The agent on the phone had no record of my chat",
    "Nobody in the store knew what I had been told online",
    "I love the app but hate the emails",
    "I hate the app but love the emails",
    "Love love love",
    "Hate hate hate",
    "good bad good bad",
    "Not good, not bad",
    "Neither good nor bad",
    "Better than expected",
    "Worse than expected",
    "Could be better",
    "Could be worse",
    "Not as good as last time",
    "As good as always",
    "I'm so happy with my new card",
    "I'm so sad the branch closed",
    "I'm furious. Absolutely furious.",
    "The fee was a scam",
    "Zero stars if I could",
    "Five stars",
    "Excellent",
    "EXCELLENT",
    "excellent!!!",
    "Terrible",
    "TERRIBLE",
    "terrible???",
    "Kind of disappointed but ok",
    "Somewhat helpful",
    "Slightly annoying",
    "Occasionally useful",
    "Hugely helpful",
    "Enormously frustrating",
    "Especially good",
    "Exceptionally rude staff",
    "Totally useless",
    "Completely satisfied",
    "Fully resolved",
    "Entirely unacceptable",
    "Utterly ridiculous",
    "Purely a waste",
    "Frickin awesome",
    "Friggin slow",
    "Fricking terrible",
    "Deeply disappointed",
    "Effing useless",
    "Majorly annoying",
    "Remarkably quick",
    "Thoroughly enjoyed it",
    "Almost perfect",
    "Partly helpful",
    "Less helpful than before",
    "Little help",
    "Fairly good",
    "Occasionally rude",
    "<script>alert('you have been hacked')</script> great site",
    "<img src=x onerror=alert(1)> terrible",
    "\"><svg onload=alert(1)>",
    "javascript:alert(1)",
    "=HYPERLINK(\"http://evil.example\",\"click\") awful",
    "+1 for the friendly staff",
    "-1 the app is slow",
    "@support thanks!",
    "Очень плохое обслуживание",
    "服务很好",
    "خدمة ممتازة",
    "Ο υπάλληλος ήταν ΕΞΑΙΡΕΤΙΚΟΣ",
    "ΤΟ ΚΑΤΑΣΤΗΜΑ good",
    "Très bien, merci",
    "Sehr gut, aber zu teuer",
    "Muy mal servicio, TERRIBLE",
    "good\tbad",
    "good\r",
    "https://example.com/order/123 was not found",
    "Order #12345 arrived on 2024-03-05",
    "I waited 3 days, 4 hours and 17 minutes",
    "100% satisfied",
    "0% satisfied",
    "A+",
    "F",
    "10/10",
    "great!!!!! but slow?????",
    "GREAT service, terrible APP",
    "great SERVICE, TERRIBLE app",
    "Good. Bad. Good. Bad. Good.",
    "It's good, but, honestly, not great",
    "but",
    "But it was fine",
    "it was fine, but",
    "never",
    "not",
    "no",
    "no no no no no",
    "NO",
    "yes",
    "YES!!!",
    "kind of",
    "sort of",
    "least",
    "at least",
    "very",
    "VERY",
    "the shit",
    "the bomb",
    "bad ass",
    "yeah right",
    "cut the mustard",
    "kiss of death",
    "hand to mouth",
    "back handed",
    "The staff were not bad but not good either",
    "Delivery wasn't late, it was never going to be late",
    "Their service isn't really that great",
    "Their service isn't that great",
    "It isn't the worst",
    "wasnt helpful",
    "didnt help",
    "doesnt work",
    "aint nobody got time for that",
    "uh huh",
    "uhhh no",
    "hmm not sure",
    "Sure, whatever",
    "whatever",
]

SUBJECTS = [
    "the checkout", "the chat", "the agent", "the app", "delivery", "the store",
    "the refund", "the email", "onboarding", "the call", "support", "the website",
]
VERBS = ["was", "is", "felt", "seemed", "has been", "wasn't", "isn't", "was never", "was not"]
MODIFIERS = [
    "", "very ", "extremely ", "really ", "so ", "incredibly ", "kind of ", "sort of ",
    "slightly ", "barely ", "hardly ", "totally ", "absolutely ", "somewhat ", "VERY ",
    "quite ", "pretty ", "a bit ", "marginally ", "remarkably ",
]
WORDS = [
    "good", "great", "bad", "terrible", "helpful", "useless", "slow", "fast", "easy",
    "confusing", "frustrating", "friendly", "rude", "awesome", "awful", "fine", "okay",
    "perfect", "broken", "annoying", "pleasant", "horrible", "smooth", "painful", "GOOD",
    "TERRIBLE", "Great", "amazing", "disappointing", "excellent", "nice", "poor",
]
TAILS = [
    "", ".", "!", "!!", "!!!", "!!!!!", "?", "??", "???", "?!", "...", " :)", " :(",
    " 😀", " 😡", " 👍", " lol", " but the staff were nice", " but it took forever",
    ", but overall I'm happy", ", but I will not come back", " and I had to repeat everything",
]


def combinations(count, seed=20261207):
    rng = random.Random(seed)
    seen = set(HANDWRITTEN)
    out = []
    while len(out) < count:
        text = "{} {} {}{}{}".format(
            rng.choice(SUBJECTS).capitalize(), rng.choice(VERBS), rng.choice(MODIFIERS),
            rng.choice(WORDS), rng.choice(TAILS),
        )
        if rng.random() < 0.15:
            text = text.upper()
        if rng.random() < 0.2:
            other = "{} {} {}".format(rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(WORDS))
            text = "{} {} {}".format(text, rng.choice(["but", "and", "BUT", "though"]), other)
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def long_lines():
    sentence = "The agent was friendly but I had to repeat my order number three times!! "
    return [
        sentence * 30,
        (sentence.upper() + "great service :) ") * 40,
        "terrible " * 2000,
        "😀" * 500,
        "a" * 20000,
        "<b>bold</b> " * 500,
    ]


def main():
    here = Path(__file__).parent
    assert vaderSentiment.__file__
    analyzer = SentimentIntensityAnalyzer()
    corpus = HANDWRITTEN + combinations(500) + long_lines()
    with open(here / "sentiment.jsonl", "w", encoding="utf-8", newline="\n") as out:
        for text in corpus:
            scores = analyzer.polarity_scores(text)
            row = {"text": text}
            for key in ("compound", "pos", "neu", "neg"):
                row[key] = scores[key]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(corpus)} comments scored")


if __name__ == "__main__":
    main()
