//! English sentiment: negation, contrast, intensity, emoji, emphasis.

use crate::lang::Lang;
use crate::text::{analyze, Sentiment};

fn score(s: &str) -> f64 {
    analyze(s, Some(Lang::En)).score
}

#[test]
fn plain_words_score_by_sign() {
    assert!(score("The service was good.") > 0.3);
    assert!(score("The service was terrible.") < -0.3);
    assert_eq!(score("The parcel arrived on Tuesday."), 0.0);
    assert_eq!(analyze("The parcel arrived on Tuesday.", Some(Lang::En)).label, Sentiment::Neutral);
}

#[test]
fn negation_flips_within_three_words() {
    assert!(score("The service was not good.") < 0.0);
    assert!(score("It isn't bad at all.") > 0.0);
    assert!(score("I didn't like it.") < 0.0);
    assert!(score("I would never recommend them.") < 0.0);
    assert!(score("No problems with my order.") > 0.0);
    // Three words away still.
    assert!(score("It was not really that good.") < 0.0);
}

#[test]
fn negation_stays_in_its_clause() {
    // "No," answers; it does not negate what follows.
    assert!(score("No, it was great.") > 0.0);
    assert!(score("It did not arrive on time, great support though.") > -0.5);
    // Nor does it reach the next sentence.
    assert!(score("I was not sure. It was great.") > 0.3);
    // Nor flip a whole text: the last clause keeps its own sign.
    assert!(
        analyze("I don't know about the price. The staff were lovely and kind.", Some(Lang::En)).sentences[1].score
            > 0.3
    );
}

#[test]
fn vader_special_cases() {
    assert!(score("It has never been this good!") > 0.3, "never so/this good is praise");
    assert!(score("Without a doubt, an excellent idea.") > 0.3);
    assert!(score("the least helpful agent") < 0.0);
    assert!(score("At least it isn't a horrible book.") > 0.0);
    assert!(score("The book was only kind of good.") < score("The book was good."));
}

#[test]
fn contrast_weighs_the_later_clause() {
    let plain = score("The food was good and the delivery was slow.");
    let but = score("The food was good but the delivery was slow.");
    assert!(but < plain, "{but} < {plain}");
    assert!(score("Good food but slow service.") < score("Good food and slow service."));
    assert!(score("It was expensive, but the service was excellent.") > 0.3);
    assert!(score("Slow delivery, however the product is excellent.") > 0.3);
    // "although" opens the clause that weighs less, wherever it stands.
    assert!(score("Although the staff were nice, the room was dirty and awful.") < 0.0);
    assert!(score("The room was lovely and clean, although a bit small.") > 0.3);
    // "though" closing a clause works as "but".
    assert!(score("Great food, awful service though.") < 0.0);
    // A sentence opening with "But" turns the text.
    assert!(score("The app looks nice. But it crashes all the time and support is useless.") < 0.0);
}

#[test]
fn boosters_and_dampeners() {
    let good = score("The staff were good.");
    assert!(score("The staff were very good.") > good);
    assert!(score("The staff were extremely good.") > good);
    assert!(score("The staff were slightly good.") < good);
    assert!(score("The staff were kind of good.") < good);
    assert!(score("It was very bad.") < score("It was bad."));
    assert!(score("It was somewhat bad.") > score("It was bad."));
    // A booster that boosts nothing is praise of its own.
    assert!(score("The staff were incredible.") > 0.3);
}

#[test]
fn capitals_and_exclamations_emphasise() {
    let base = score("The support was good.");
    assert!(score("The support was GOOD.") > base);
    assert!(score("The support was good!!!") > score("The support was good!"));
    assert!(score("The support was good!") > base);
    assert!(score("The support was BAD!!!") < score("The support was bad."));
    // All in capitals is no emphasis (VADER).
    assert!((score("THE SUPPORT WAS GOOD.") - base).abs() < 1e-9);
    // "??" adds weight in the sentence's direction.
    assert!(score("Why is it so bad??") < score("Why is it so bad?"));
}

#[test]
fn emoji_and_emoticons() {
    assert!(score("Delivered 😍") > 0.3);
    assert!(score("Delivered 😠") < -0.3);
    assert!(score("Delivered :)") > 0.3);
    assert!(score("Delivered :(") < -0.3);
    assert!(score("thanks :-D") > 0.3);
    assert!(score("love it <3") > score("love it"));
    assert!(score("that was fun xD") > score("that was fun"));
    assert!(score("great:)") > score("great"), "an emoticon glued to a word");
    assert!(score("Delivered ❤️") > 0.3, "with a presentation selector");
    assert!(score("👍👍👍") > 0.3);
}

#[test]
fn inflections_and_stretched_words() {
    assert!(score("The agents responded poorly.") < 0.0);
    assert!(score("They are idiots.") < 0.0);
    assert!(score("sooo goood") > score("so good") - 0.2);
    assert!(score("goooood") > 0.3);
}

#[test]
fn customer_service_words() {
    assert!(score("The delivery was late.") < 0.0);
    assert!(score("Very slow checkout.") < 0.0);
    assert!(score("Staff were unhelpful.") < 0.0);
    assert!(score("They went above and beyond.") > 0.3);
    assert!(score("I will never again order here.") < 0.0);
    assert!(score("Total rip off.") < 0.0);
    assert!(score("&gt; great &amp; fast").is_finite());
}
