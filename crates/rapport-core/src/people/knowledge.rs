//! E2. The knowledge base for the front line: FAQs, product descriptions and
//! procedures in English and Spanish, linked to touchpoints and root causes.
