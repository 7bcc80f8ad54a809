//! B1/B2. Survey distribution: invitation waves by e-mail (to a segment,
//! a list or a CSV), reminders, unsubscribes, triggered surveys and
//! thank-you e-mails.
