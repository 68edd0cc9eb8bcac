//! Shapes are JSON objects, and only objects.
//!
//! serde's derive also reads a struct from a sequence of its members in
//! declaration order, so `["gs-1", 10]` would parse as an update request.
//! AWS's JSON protocol has no such form: a sequence where a structure
//! belongs is a `SerializationException`. Each shape derives its serde code
//! on a private twin (`#[serde(remote = "Shape")]` in the shape's `wire`
//! module), whose derived functions stay private, and [`object_only!`]
//! implements the traits on the shape, reading through `deserialize_map`
//! so that only an object reaches the derived code.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserialize, MapAccess, Visitor};

/// Hands the entries of an object to `T`'s derived deserializer.
pub(crate) struct ObjectVisitor<T>(pub(crate) PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map))
    }
}

/// Implements `Serialize` and `Deserialize` for a shape through its private
/// twin's derived code, accepting objects only.
macro_rules! object_only {
    ($shape:ident, $twin:ty) => {
        impl serde::Serialize for $shape {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$twin>::serialize(self, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $shape {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                /// The derived deserializer, reachable as a trait for the visitor.
                struct Derived($shape);
                impl<'de> serde::Deserialize<'de> for Derived {
                    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        <$twin>::deserialize(d).map(Derived)
                    }
                }
                deserializer
                    .deserialize_map($crate::model::object::ObjectVisitor::<Derived>(
                        std::marker::PhantomData,
                    ))
                    .map(|derived| derived.0)
            }
        }
    };
}

pub(crate) use object_only;
