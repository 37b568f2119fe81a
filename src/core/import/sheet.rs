//! `.xlsx` workbooks through calamine, which builds for
//! `wasm32-unknown-unknown` (checked; it needs no C code or threads). A sheet
//! is small next to CSV exports, so it is read whole into rows of cell text
//! and then goes through the same layout, role and column code as CSV.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{dates, ReadError};

/// ZIP local-file-header signature: every `.xlsx` starts with it, no text
/// export does.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

pub struct Sheet {
    pub names: Vec<String>,
    pub chosen: String,
    /// Spreadsheet row number (1-based) of the first row.
    pub first_row: u64,
    pub rows: Vec<Vec<String>>,
}

/// Reads the named sheet, or the first one.
pub fn read(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Sheet, ReadError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| ReadError(format!("cannot open workbook: {e}")))?;
    let names = book.sheet_names();
    let chosen = match sheet {
        Some(name) if names.iter().any(|n| n == name) => name.to_owned(),
        Some(name) => {
            return Err(ReadError(format!(
                "no sheet named {name:?} (sheets: {})",
                names.join(", ")
            )))
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| ReadError("workbook has no sheets".into()))?,
    };
    let range = book
        .worksheet_range(&chosen)
        .map_err(|e| ReadError(format!("cannot read sheet {chosen:?}: {e}")))?;
    let first_row = range.start().map_or(1, |(r, _)| u64::from(r) + 1);
    let rows = range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    Ok(Sheet {
        names,
        chosen,
        first_row,
        rows,
    })
}

/// Cell text as a CSV export of the sheet would show it; date cells are
/// serial day numbers since 1899-12-30 and become ISO 8601.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::DateTime(dt) => dates::format_iso((dt.as_f64() - 25_569.0) * 86_400.0),
        other => other.to_string(),
    }
}
