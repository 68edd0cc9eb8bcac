//! The one record shape, written ([`RecordWriter`]) and read ([`Record`]).

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A record as read: its sequence number, whether it empties every table
/// first, and its row changes in order.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct Record {
    pub(crate) seq: u64,
    #[serde(default)]
    pub(crate) reset: bool,
    #[serde(default)]
    pub(crate) rows: Vec<RowChange>,
}

/// One row change: an upsert when `row` is present, a removal otherwise.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct RowChange {
    pub(crate) table: String,
    pub(crate) key: String,
    #[serde(default)]
    pub(crate) row: Option<Box<RawValue>>,
}

/// The header line of a journal.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct Header {
    pub(crate) journal: u32,
}

/// Writes one record into the writer's queue: `{"Seq":N` first, then
/// [`RecordWriter::reset`] and [`RecordWriter::row`] in the order of the
/// changes, and the end when it is dropped.
#[derive(Debug)]
pub(crate) struct RecordWriter<'a> {
    out: &'a mut Vec<u8>,
    rows: usize,
}

impl<'a> RecordWriter<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>, seq: u64) -> Self {
        out.extend_from_slice(b"{\"Seq\":");
        out.extend_from_slice(seq.to_string().as_bytes());
        RecordWriter { out, rows: 0 }
    }

    /// The record empties every table before its rows: a reset.
    pub(crate) fn reset(&mut self) {
        self.out.extend_from_slice(b",\"Reset\":true");
    }

    /// The row `key` of `table` is now `row` (`None`: it was removed).
    ///
    /// # Errors
    ///
    /// The row cannot be encoded (a map with keys that are not strings,
    /// which no shape has).
    pub(crate) fn row<T: Serialize + ?Sized>(
        &mut self,
        table: &str,
        key: &str,
        row: Option<&T>,
    ) -> Result<(), serde_json::Error> {
        self.out.extend_from_slice(if self.rows == 0 {
            b",\"Rows\":[{\"Table\":"
        } else {
            b",{\"Table\":"
        });
        serde_json::to_writer(&mut *self.out, table)?;
        self.out.extend_from_slice(b",\"Key\":");
        serde_json::to_writer(&mut *self.out, key)?;
        if let Some(row) = row {
            self.out.extend_from_slice(b",\"Row\":");
            serde_json::to_writer(&mut *self.out, row)?;
        }
        self.out.push(b'}');
        self.rows += 1;
        Ok(())
    }
}

impl Drop for RecordWriter<'_> {
    fn drop(&mut self) {
        if self.rows > 0 {
            self.out.push(b']');
        }
        self.out.extend_from_slice(b"}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_record_reads_back() {
        let mut out = Vec::new();
        {
            let mut w = RecordWriter::new(&mut out, 7);
            w.reset();
            w.row(
                "Aliases",
                "alias-\"1",
                Some(&serde_json::json!({"Name": "a"})),
            )
            .expect("encoded");
            w.row::<()>("Tickets", "t-1", None).expect("encoded");
        }
        assert_eq!(
            String::from_utf8(out.clone()).expect("UTF-8"),
            "{\"Seq\":7,\"Reset\":true,\"Rows\":[{\"Table\":\"Aliases\",\"Key\":\"alias-\\\"1\",\"Row\":{\"Name\":\"a\"}},{\"Table\":\"Tickets\",\"Key\":\"t-1\"}]}\n"
        );
        let read: Record = serde_json::from_slice(&out).expect("a record");
        assert_eq!((read.seq, read.reset, read.rows.len()), (7, true, 2));
        assert_eq!(read.rows[0].key, "alias-\"1");
        assert!(read.rows[1].row.is_none());
        let mut empty = Vec::new();
        drop(RecordWriter::new(&mut empty, 1));
        assert_eq!(empty, b"{\"Seq\":1}\n");
    }
}
