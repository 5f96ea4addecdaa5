//! Multilingual text: a model field that is either a plain string or a map of
//! language codes to strings (`{ en: "...", fr: "..." }`), with English as the
//! fallback. Pure data; no IO.

use serde::Serialize;

/// A piece of model text in one or more languages. English is always present.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    en: String,
    /// Other languages, in file order, as (code, text).
    translations: Vec<(String, String)>,
}

impl Text {
    /// Text with English only.
    pub fn plain(en: impl Into<String>) -> Self {
        Text {
            en: en.into(),
            translations: Vec::new(),
        }
    }

    /// Text with English and translations (`en` must not be among them).
    pub fn with_translations(en: String, translations: Vec<(String, String)>) -> Self {
        Text { en, translations }
    }

    /// The English text.
    pub fn en(&self) -> &str {
        &self.en
    }

    /// The text in `lang`, falling back to English.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" {
            return &self.en;
        }
        self.translations
            .iter()
            .find(|(code, _)| code == lang)
            .map_or(self.en.as_str(), |(_, text)| text.as_str())
    }

    /// The language codes this text is available in, English first.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        std::iter::once("en").chain(self.translations.iter().map(|(code, _)| code.as_str()))
    }
}

impl Serialize for Text {
    /// A plain string when there is only English, otherwise a map of language codes.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.translations.is_empty() {
            return serializer.serialize_str(&self.en);
        }
        let mut map = serializer.serialize_map(Some(self.translations.len() + 1))?;
        map.serialize_entry("en", &self.en)?;
        for (code, text) in &self.translations {
            map.serialize_entry(code, text)?;
        }
        map.end()
    }
}

/// Serializes any `Display` value as a string (for `serialize_with`).
pub fn display<T: std::fmt::Display, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_english() {
        let text = Text::with_translations("Level".into(), vec![("fr".into(), "Niveau".into())]);
        assert_eq!(text.get("fr"), "Niveau");
        assert_eq!(text.get("ja"), "Level");
        assert_eq!(text.get("en"), "Level");
        assert_eq!(text.languages().collect::<Vec<_>>(), ["en", "fr"]);
    }
}
