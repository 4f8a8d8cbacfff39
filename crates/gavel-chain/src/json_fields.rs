//! Field-by-field JSON reading with errors that name the field's path
//! (`game_types[0].params.max_depth: invalid type: …`), for files operators edit by hand.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A JSON object being read, with its path from the document root.
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    /// `v` as an object at `path` (`""` for the root).
    pub(crate) fn new(v: &'a Value, path: &str) -> Result<Self, String> {
        match v.as_object() {
            Some(map) => Ok(Self {
                map,
                path: path.to_owned(),
            }),
            None if path.is_empty() => Err(format!("expected a JSON object, found {v}")),
            None => Err(format!("field `{path}`: expected an object, found {v}")),
        }
    }

    fn path_of(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}.{name}", self.path)
        }
    }

    /// Rejects any key not in `known`, naming it.
    pub(crate) fn only(&self, known: &[&str]) -> Result<&Self, String> {
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(format!(
                "unknown field `{}` (expected one of {})",
                self.path_of(k),
                known.join(", ")
            )),
            None => Ok(self),
        }
    }

    /// The required field `name`.
    pub(crate) fn req<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        let v = self
            .map
            .get(name)
            .ok_or_else(|| format!("missing field `{}`", self.path_of(name)))?;
        serde_json::from_value(v.clone())
            .map_err(|e| format!("field `{}`: {e}", self.path_of(name)))
    }

    /// The required object field `name`.
    pub(crate) fn obj(&self, name: &str) -> Result<Obj<'a>, String> {
        let v = self
            .map
            .get(name)
            .ok_or_else(|| format!("missing field `{}`", self.path_of(name)))?;
        Obj::new(v, &self.path_of(name))
    }

    /// The optional object field `name`.
    pub(crate) fn opt_obj(&self, name: &str) -> Result<Option<Obj<'a>>, String> {
        match self.map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => Obj::new(v, &self.path_of(name)).map(Some),
        }
    }

    /// The required array-of-objects field `name`.
    pub(crate) fn objs(&self, name: &str) -> Result<Vec<Obj<'a>>, String> {
        let v = self
            .map
            .get(name)
            .ok_or_else(|| format!("missing field `{}`", self.path_of(name)))?;
        let items = v.as_array().ok_or_else(|| {
            format!(
                "field `{}`: expected an array, found {v}",
                self.path_of(name)
            )
        })?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| Obj::new(item, &format!("{}[{i}]", self.path_of(name))))
            .collect()
    }
}
