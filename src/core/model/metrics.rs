//! Custom metrics: any measure a team tracks besides NPS, CSAT and CES
//! (first-contact resolution, resolution time, order value…), defined on
//! the map and read from a column of its datasets, plus values typed by
//! hand for a touchpoint when there is no export.
//!
//! Manual data points live on their touchpoint (`Touchpoint::data_points`):
//! deleting the touchpoint deletes them, and they count for its stage and
//! lane. They carry no segment, so a segment filter leaves them out.

use serde::{Deserialize, Serialize};

use super::{Id, JourneyMap};

/// How a metric's values are summed up into one figure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// With a Student-t 95 % interval.
    #[default]
    Mean,
    /// No interval.
    Median,
    /// No interval.
    Sum,
    /// Share of "yes" (any value other than 0), in percent, with a Wilson
    /// interval: yes/no columns are imported as 1 / 0.
    Rate,
}

impl Aggregation {
    pub const ALL: [Aggregation; 4] = [
        Aggregation::Mean,
        Aggregation::Median,
        Aggregation::Sum,
        Aggregation::Rate,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Aggregation::Mean => "mean",
            Aggregation::Median => "median",
            Aggregation::Sum => "sum",
            Aggregation::Rate => "rate of yes",
        }
    }

    /// The value stored and used in forms.
    pub fn key(self) -> &'static str {
        match self {
            Aggregation::Mean => "mean",
            Aggregation::Median => "median",
            Aggregation::Sum => "sum",
            Aggregation::Rate => "rate",
        }
    }

    pub fn from_key(key: &str) -> Option<Aggregation> {
        Aggregation::ALL.into_iter().find(|a| a.key() == key)
    }

    /// Means (t) and rates (Wilson) have an interval; medians and sums not.
    pub fn has_interval(self) -> bool {
        matches!(self, Aggregation::Mean | Aggregation::Rate)
    }
}

/// A measure of the map's own: its values come from the column headed
/// `column` in every attached dataset that has it (and from manual data
/// points).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricDef {
    pub id: Id,
    pub name: String,
    /// Shown after values ("€", "min"); a rate is always in percent.
    pub unit: String,
    /// The column's header, as in the file.
    pub column: String,
    pub aggregation: Aggregation,
    /// For the whole journey and every touchpoint, stage and lane; a rate's
    /// target is in percent.
    pub target: Option<f64>,
    /// Lower is better for a resolution time: the target is then met at or
    /// below it.
    pub higher_is_better: bool,
}

/// A value typed by hand for a touchpoint (TheyDo's manual data points).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DataPoint {
    /// The [`MetricDef`] it is a value of.
    pub metric: Id,
    /// `YYYY-MM-DD`; a point whose day does not read is undated (left out
    /// by a date filter).
    pub day: String,
    /// On the metric's own scale: 1 / 0 for a rate's yes / no.
    pub value: f64,
}

impl JourneyMap {
    pub fn metric(&self, id: &Id) -> Option<&MetricDef> {
        self.metrics.iter().find(|m| &m.id == id)
    }

    /// Adds a metric read from `column`, averaged, higher is better; returns
    /// its id.
    pub fn add_metric(&mut self, name: impl Into<String>, column: impl Into<String>) -> Id {
        let id = self.next_id("metric");
        self.metrics.push(MetricDef {
            id: id.clone(),
            name: name.into(),
            column: column.into(),
            higher_is_better: true,
            ..MetricDef::default()
        });
        id
    }

    /// Removes a metric and every data point typed for it.
    pub fn remove_metric(&mut self, id: &Id) {
        self.metrics.retain(|m| &m.id != id);
        for t in &mut self.touchpoints {
            t.data_points.retain(|p| &p.metric != id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChannelKind, Touchpoint};

    #[test]
    fn removing_a_metric_removes_its_points() {
        let mut m = JourneyMap::new(Id::new("m"), "M", 0.0);
        let s = m.add_stage("S");
        let c = m.add_channel("C", ChannelKind::Digital);
        let a = m.add_metric("Order value", "Order value");
        let b = m.add_metric("FCR", "Resolved first contact");
        assert_ne!(a, b);
        m.touchpoints.push(Touchpoint {
            id: Id::new("t"),
            stage: s,
            channel: c,
            data_points: vec![
                DataPoint {
                    metric: a.clone(),
                    day: "2024-01-01".into(),
                    value: 3.0,
                },
                DataPoint {
                    metric: b.clone(),
                    day: "2024-01-01".into(),
                    value: 1.0,
                },
            ],
            ..Touchpoint::default()
        });
        m.remove_metric(&a);
        assert_eq!(m.metrics.len(), 1);
        assert_eq!(m.touchpoints[0].data_points.len(), 1);
        assert_eq!(m.touchpoints[0].data_points[0].metric, b);
        assert!(m.validate().is_ok());
    }

    #[test]
    fn old_maps_load_without_metrics() {
        let json = r#"{"id":"m","name":"Old","touchpoints":[]}"#;
        let m: JourneyMap = serde_json::from_str(json).unwrap();
        assert!(m.metrics.is_empty());
        let def: MetricDef =
            serde_json::from_str(r#"{"id":"x","name":"AHT","aggregation":"median"}"#).unwrap();
        assert_eq!(def.aggregation, Aggregation::Median);
        assert!(!def.higher_is_better);
    }
}
