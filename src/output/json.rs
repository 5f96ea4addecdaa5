//! JSON as capgap writes it: serde's field order, every number by the one precision
//! rule of [`super::number`] (through a serde_json formatter, so nothing is
//! serialised twice), pretty or compact. Also the shapes of `score --aggregates`
//! that put the workforce (SPEC §9) beside the aggregates.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// `score --aggregates --format json`: the portfolio's fields, then `workforce`
/// (its aggregates and training plan) when any operator reported one.
#[derive(Serialize)]
pub struct WithWorkforce<'a> {
    #[serde(flatten)]
    portfolio: &'a crate::aggregate::Portfolio,
    #[serde(skip_serializing_if = "Option::is_none")]
    workforce: Option<&'a crate::workforce::Workforce>,
}

impl<'a> WithWorkforce<'a> {
    pub fn new(
        portfolio: &'a crate::aggregate::Portfolio,
        workforce: &'a crate::workforce::Workforce,
    ) -> Self {
        WithWorkforce {
            portfolio,
            workforce: workforce.is_reported().then_some(workforce),
        }
    }
}

/// One line of `score --aggregates --format jsonl`: the aggregate's fields, then its
/// `workforce` when any of its operators reported one.
#[derive(Serialize)]
pub struct AggregateLine<'a> {
    #[serde(flatten)]
    aggregate: &'a crate::aggregate::Aggregate,
    #[serde(skip_serializing_if = "Option::is_none")]
    workforce: Option<&'a crate::workforce::AggregateWorkforce>,
}

impl<'a> AggregateLine<'a> {
    pub fn new(
        aggregate: &'a crate::aggregate::Aggregate,
        workforce: &'a crate::workforce::AggregateWorkforce,
    ) -> Self {
        AggregateLine {
            aggregate,
            workforce: (workforce.reporting > 0).then_some(workforce),
        }
    }
}

/// `value` as JSON, followed by a newline.
pub fn to_vec<T: Serialize + ?Sized>(value: &T, pretty: bool) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::new();
    to_writer(&mut out, value, pretty)?;
    out.push(b'\n');
    Ok(out)
}

/// `value` as JSON into `writer` (no newline after it).
pub fn to_writer<W: Write, T: Serialize + ?Sized>(
    writer: W,
    value: &T,
    pretty: bool,
) -> serde_json::Result<()> {
    if pretty {
        let formatter = Rounded(PrettyFormatter::new());
        value.serialize(&mut serde_json::Serializer::with_formatter(
            writer, formatter,
        ))
    } else {
        let formatter = Rounded(CompactFormatter);
        value.serialize(&mut serde_json::Serializer::with_formatter(
            writer, formatter,
        ))
    }
}

/// A formatter that writes floats by [`super::number`] and leaves the layout to `F`.
struct Rounded<F>(F);

/// Forwards the layout methods to the wrapped formatter.
macro_rules! forward {
    ($($name:ident),* $(,)?) => {
        $(fn $name<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.$name(writer)
        })*
    };
}

impl<F: Formatter> Formatter for Rounded<F> {
    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        match super::rounded(value) {
            // ryu, as serde_json itself: whole numbers keep their `.0`.
            Some(value) => writer.write_all(ryu::Buffer::new().format_finite(value).as_bytes()),
            None => writer.write_all(b"null"),
        }
    }

    fn write_f32<W: ?Sized + Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(writer, f64::from(value))
    }

    forward!(
        begin_array,
        end_array,
        begin_object,
        end_object,
        end_array_value,
        end_object_value
    );

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::to_vec;

    #[test]
    fn numbers_follow_the_rule_and_layout_is_kept() {
        let value = serde_json::json!({"index": 25.333_333_333_333_332, "cost": 30000.0,
            "n": 3, "none": null, "list": [0.1, -0.0]});
        let compact = String::from_utf8(to_vec(&value, false).unwrap()).unwrap();
        assert_eq!(
            compact,
            "{\"cost\":30000.0,\"index\":25.333333,\"list\":[0.1,0.0],\"n\":3,\"none\":null}\n"
        );
        let pretty = String::from_utf8(to_vec(&value, true).unwrap()).unwrap();
        assert!(pretty.contains("\n  \"index\": 25.333333,\n"), "{pretty}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&pretty).unwrap()["index"],
            serde_json::json!(25.333333)
        );
    }
}
