//! Built-in example maps for "create from example". They double as teaching
//! material, so each one is a complete, realistic journey: a goal with a KPI,
//! personas with segment keys, pains and prioritised opportunities, feedback
//! keys that imports can match, and handoffs that show where context is lost.

use crate::model::{
    ChannelKind, Goal, Handoff, Id, JourneyMap, Opportunity, Persona, Priority, Targets, Touchpoint,
};

/// An entry of the "create from example" menu.
pub struct Template {
    /// Stable identifier for links and tests; never shown.
    pub key: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Builds the map with the caller's id and clock, so the core never
    /// invents identity or time.
    pub build: fn(Id, f64) -> JourneyMap,
}

pub const TEMPLATES: &[Template] = &[Template {
    key: "retail",
    title: "Omnichannel retail purchase",
    description: "Instagram ad to in-store purchase and an easy return, across seven channels",
    build: retail,
}];

pub fn template(key: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.key == key)
}

/// The content of one touchpoint card, written as literals so templates read
/// like the map they describe.
#[derive(Default)]
struct Card {
    name: &'static str,
    description: &'static str,
    owner: &'static str,
    emotion: i8,
    pains: &'static [&'static str],
    opportunities: &'static [(Priority, &'static str)],
    feedback_key: &'static str,
    targets: Targets,
}

/// Appends to a map while building a template. The ids it is given always
/// come from the same builder, so a failure is a bug in a template, which the
/// tests below catch.
struct Builder {
    map: JourneyMap,
}

impl Builder {
    fn new(id: Id, now_ms: f64, name: &str, objective: &str, kpi: &str) -> Self {
        let mut map = JourneyMap::new(id, name, now_ms);
        map.goal = Goal {
            objective: objective.into(),
            kpi: kpi.into(),
        };
        Builder { map }
    }

    fn stage(&mut self, name: &str, customer_goal: &str) -> Id {
        let id = self.map.add_stage(name);
        if let Some(s) = self.map.stages.iter_mut().find(|s| s.id == id) {
            s.customer_goal = customer_goal.into();
        }
        id
    }

    fn channel(&mut self, name: &str, kind: ChannelKind) -> Id {
        self.map.add_channel(name, kind)
    }

    fn card(&mut self, stage: &Id, channel: &Id, card: Card) -> Id {
        let id = self
            .map
            .add_touchpoint(stage, channel, card.name)
            .expect("template cards use the builder's own stages and channels");
        let t = self
            .map
            .touchpoint_mut(&id)
            .expect("the touchpoint was just added");
        *t = Touchpoint {
            id: id.clone(),
            stage: stage.clone(),
            channel: channel.clone(),
            name: card.name.into(),
            description: card.description.into(),
            owner: card.owner.into(),
            emotion: Some(card.emotion),
            pain_points: strings(card.pains),
            opportunities: card
                .opportunities
                .iter()
                .map(|(priority, text)| Opportunity {
                    text: (*text).into(),
                    priority: *priority,
                })
                .collect(),
            feedback_key: card.feedback_key.into(),
            targets: card.targets,
            ..Touchpoint::default()
        };
        id
    }

    fn handoff(&mut self, from: &Id, to: &Id, carried: bool, carries: &[&str], friction: &str) {
        let id = self
            .map
            .add_handoff(from, to, carried)
            .expect("template handoffs join two different cards of the builder");
        if let Some(h) = self.map.handoffs.iter_mut().find(|h| h.id == id) {
            *h = Handoff {
                carries: strings(carries),
                friction: friction.into(),
                ..h.clone()
            };
        }
    }

    /// Chains the cards in order, one handoff per consecutive pair, because
    /// every template tells one customer's story from start to finish.
    fn chain(&mut self, cards: &[Id], links: &[(bool, &[&str], &str)]) {
        debug_assert_eq!(cards.len(), links.len() + 1);
        for (pair, (carried, carries, friction)) in cards.windows(2).zip(links) {
            self.handoff(&pair[0], &pair[1], *carried, carries, friction);
        }
    }

    fn persona(&mut self, persona: Persona, preferred: &[&Id]) -> Id {
        let id = self.map.add_persona(persona.name.clone());
        if let Some(p) = self.map.personas.iter_mut().find(|p| p.id == id) {
            *p = Persona {
                id: id.clone(),
                preferred_channels: preferred.iter().map(|c| (*c).clone()).collect(),
                ..persona
            };
        }
        id
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn targets(nps: Option<f64>, csat: Option<f64>, ces: Option<f64>) -> Targets {
    Targets { nps, csat, ces }
}

/// Issue 2's example: one shopper moving between social, web, app, chat,
/// store, email and support, with the chat's sizing advice lost at the store.
pub fn retail(id: Id, now_ms: f64) -> JourneyMap {
    let mut b = Builder::new(
        id,
        now_ms,
        "Retail: from Instagram ad to easy return",
        "Turn social-ad interest into confident purchases in any channel, and keep customers through returns",
        "Ad-to-purchase conversion within 14 days; repeat purchase within 90 days of a return",
    );
    let awareness = b.stage("Awareness", "Notice something that fits my style");
    let consideration = b.stage("Consideration", "Be sure it is good and will fit me");
    let purchase = b.stage("Purchase", "Get the right size without hassle");
    let retention = b.stage("Retention", "Enjoy it, or return it without a fight");
    let advocacy = b.stage("Advocacy", "Tell friends when a brand treats me well");

    let social = b.channel("Instagram", ChannelKind::Digital);
    let web = b.channel("Website", ChannelKind::Digital);
    let app = b.channel("Mobile app", ChannelKind::Digital);
    let chat = b.channel("Live chat", ChannelKind::Human);
    let store = b.channel("Store", ChannelKind::Physical);
    let email = b.channel("Email", ChannelKind::Automated);
    let support = b.channel("Customer support", ChannelKind::Human);

    let ad = b.card(
        &awareness,
        &social,
        Card {
            name: "Sees Instagram ad",
            description: "A sponsored reel shows the new waxed jacket styled three ways.",
            owner: "Marketing",
            emotion: 1,
            pains: &["The ad shows no price and no size range"],
            opportunities: &[
                (
                    Priority::High,
                    "Shoppable post that opens the product in the app",
                ),
                (Priority::Low, "Show the size range on the last frame"),
            ],
            feedback_key: "ig_ad",
            ..Card::default()
        },
    );
    let reviews = b.card(
        &consideration,
        &web,
        Card {
            name: "Reads reviews on the website",
            description: "Scrolls 40 reviews looking for anyone her height mentioning fit.",
            owner: "E-commerce",
            emotion: 0,
            pains: &[
                "Reviews rarely mention fit or the reviewer's usual size",
                "No filter for reviews by body type",
            ],
            opportunities: &[(
                Priority::High,
                "Fit summary from reviews: runs small / true / large",
            )],
            feedback_key: "web_reviews",
            targets: targets(None, Some(4.2), None),
        },
    );
    let cart = b.card(
        &consideration,
        &app,
        Card {
            name: "Adds the jacket to the app cart",
            description: "Signs in on the app and puts both M and L in the cart to decide later.",
            owner: "Product",
            emotion: -1,
            pains: &["Unsure between two sizes, so adds both"],
            opportunities: &[(Priority::Medium, "Size advisor in the cart")],
            feedback_key: "app_cart",
            targets: targets(None, None, Some(2.0)),
        },
    );
    let sizing = b.card(
        &consideration,
        &chat,
        Card {
            name: "Asks live chat about sizing",
            description: "An agent compares the jacket's measurements with her usual brand and recommends M.",
            owner: "Customer support",
            emotion: 1,
            pains: &["Six-minute wait for an agent"],
            opportunities: &[
                (Priority::High, "Save the size advice to the customer's profile"),
                (Priority::Medium, "Show the expected wait before the chat opens"),
            ],
            feedback_key: "chat_sizing",
            targets: targets(None, Some(4.5), Some(2.0)),
        },
    );
    let visit = b.card(
        &purchase,
        &store,
        Card {
            name: "Visits the store; staff see her online cart",
            description:
                "Staff look her up by app QR code and bring both sizes from the stockroom.",
            owner: "Store operations",
            emotion: 1,
            pains: &[
                "Staff cannot see the chat's size advice, so she explains her measurements again",
            ],
            opportunities: &[(
                Priority::High,
                "Show chat notes next to the cart on the staff tablet",
            )],
            feedback_key: "store_visit",
            targets: targets(Some(40.0), Some(4.5), None),
        },
    );
    let buy = b.card(
        &purchase,
        &store,
        Card {
            name: "Buys in store",
            description:
                "Pays at the till; the app cart is cleared and the order joins her history.",
            owner: "Store operations",
            emotion: 2,
            pains: &["Queue at the till at lunchtime"],
            opportunities: &[(Priority::Medium, "Pay on the staff tablet or in the app")],
            feedback_key: "store_purchase",
            targets: targets(None, Some(4.6), Some(1.5)),
        },
    );
    let follow_up = b.card(
        &retention,
        &email,
        Card {
            name: "Receives follow-up email",
            description:
                "Care tips for waxed cotton and matching accessories, two days after purchase.",
            owner: "CRM",
            emotion: 0,
            pains: &["Recommends the jacket she has just bought"],
            opportunities: &[(
                Priority::Low,
                "Exclude purchased items from recommendations",
            )],
            feedback_key: "followup_email",
            ..Card::default()
        },
    );
    let ret = b.card(
        &retention,
        &support,
        Card {
            name: "Return handled by support with full history",
            description: "The zip is faulty; the agent sees the ad, chat, store purchase and email, and sends a replacement.",
            owner: "Customer support",
            emotion: 1,
            pains: &["Returning by post means printing a label"],
            opportunities: &[
                (Priority::High, "One-step exchange for a replacement or another size"),
                (Priority::Medium, "Drop-off in any store with the app QR code"),
            ],
            feedback_key: "return_support",
            targets: targets(Some(30.0), Some(4.5), Some(2.0)),
        },
    );
    let review = b.card(
        &advocacy,
        &social,
        Card {
            name: "Posts about the brand",
            description: "Tags the brand in a story praising the painless exchange.",
            owner: "Marketing",
            emotion: 2,
            pains: &[],
            opportunities: &[(
                Priority::Medium,
                "Invite happy returners to leave a fit review",
            )],
            feedback_key: "social_mention",
            ..Card::default()
        },
    );

    b.chain(
        &[
            ad, reviews, cart, sizing, visit, buy, follow_up, ret, review,
        ],
        &[
            (
                true,
                &["campaign", "product"],
                "Lands on the website, not the app",
            ),
            (
                true,
                &["product", "identity"],
                "Has to sign in again in the app",
            ),
            (true, &["cart", "identity"], ""),
            (
                false,
                &["cart", "identity"],
                "The chat's size advice does not reach store staff; she repeats her measurements",
            ),
            (true, &["cart", "loyalty id"], ""),
            (true, &["order", "email consent"], ""),
            (
                true,
                &["order history", "chat transcript", "store receipt"],
                "",
            ),
            (true, &["resolution"], ""),
        ],
    );

    b.persona(
        Persona {
            name: "Maya, the omnichannel shopper".into(),
            role: "Marketing manager, 34".into(),
            quote: "I research on my phone, but I want to try it on before I pay.".into(),
            demographics: "Urban, full-time job, shops at lunch and in the evening".into(),
            behaviours: strings(&[
                "Discovers brands on Instagram",
                "Reads reviews before any purchase over 100 €",
                "Uses the app cart as a wish list",
            ]),
            goals: strings(&["Buy the right size the first time"]),
            needs: strings(&["Honest fit information", "Not repeating herself"]),
            frustrations: strings(&["Explaining the same thing in every channel"]),
            segment_key: "omni_shopper".into(),
            ..Persona::default()
        },
        &[&social, &app, &store],
    );
    b.persona(
        Persona {
            name: "Tom, the store-first regular".into(),
            role: "Teacher, 52".into(),
            quote: "I'd rather ask someone in the shop than chat with a website.".into(),
            demographics: "Suburban, visits the store monthly".into(),
            behaviours: strings(&[
                "Browses online, buys in store",
                "Phones support rather than using chat",
            ]),
            goals: strings(&["Get good advice from a person"]),
            needs: strings(&["Staff who know his purchase history"]),
            frustrations: strings(&["Being sent to the website for answers"]),
            segment_key: "store_first".into(),
            ..Persona::default()
        },
        &[&store, &support],
    );
    b.map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_template() -> Vec<(&'static str, JourneyMap)> {
        TEMPLATES
            .iter()
            .map(|t| (t.key, (t.build)(Id::new(format!("map-{}", t.key)), 1_000.0)))
            .collect()
    }

    #[test]
    fn every_template_is_valid() {
        for (key, map) in every_template() {
            if let Err(e) = map.validate() {
                panic!("template {key} is invalid: {e}");
            }
        }
    }

    #[test]
    fn every_template_teaches_the_whole_method() {
        for (key, map) in every_template() {
            let n = map.touchpoints.len();
            assert!((6..=12).contains(&n), "{key}: {n} touchpoints");
            assert!(!map.goal.objective.is_empty() && !map.goal.kpi.is_empty());
            assert!(!map.personas.is_empty(), "{key}: no persona");
            assert!(map.personas.iter().all(|p| !p.segment_key.is_empty()));
            assert!(map.context_losses().count() >= 1, "{key}: no context loss");
            assert!(map.handoffs.iter().all(|h| !h.carries.is_empty()));
            for t in &map.touchpoints {
                assert!(t.emotion.is_some(), "{key}/{}: no emotion", t.name);
                assert!(!t.owner.is_empty(), "{key}/{}: no owner", t.name);
                assert!(!t.feedback_key.is_empty(), "{key}/{}: no key", t.name);
            }
            assert!(map.touchpoints.iter().any(|t| !t.pain_points.is_empty()));
            assert!(map.touchpoints.iter().any(|t| !t.opportunities.is_empty()));
        }
    }

    #[test]
    fn feedback_keys_are_unique_within_a_template() {
        for (key, map) in every_template() {
            let mut keys: Vec<&str> = map
                .touchpoints
                .iter()
                .map(|t| t.feedback_key.as_str())
                .collect();
            keys.sort_unstable();
            let before = keys.len();
            keys.dedup();
            assert_eq!(before, keys.len(), "{key}: duplicate feedback key");
        }
    }

    #[test]
    fn template_keys_are_unique_and_found() {
        for t in TEMPLATES {
            assert_eq!(template(t.key).map(|x| x.title), Some(t.title));
        }
        assert!(template("nope").is_none());
    }

    #[test]
    fn retail_follows_issue_two_story() {
        let m = retail(Id::new("r"), 42.0);
        assert_eq!(m.id, Id::new("r"));
        assert_eq!(m.created_ms, 42.0);
        let names: Vec<&str> = m.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Awareness",
                "Consideration",
                "Purchase",
                "Retention",
                "Advocacy"
            ]
        );
        let key_of = |id: &Id| m.touchpoint(id).unwrap().feedback_key.as_str();
        let lost: Vec<(&str, &str)> = m
            .context_losses()
            .map(|h| (key_of(&h.from), key_of(&h.to)))
            .collect();
        assert_eq!(lost, [("chat_sizing", "store_visit")]);
        assert_eq!(m.handoffs.len(), m.touchpoints.len() - 1);
        let kinds: std::collections::HashSet<ChannelKind> =
            m.channels.iter().map(|c| c.kind).collect();
        assert_eq!(kinds.len(), ChannelKind::ALL.len());
    }
}
