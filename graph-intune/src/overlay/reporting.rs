//! Intune's reports as data: the table the report actions answer with, read into rows
//! ([`ReportTable`]), and an export job run to its file ([`ReportsHandler::export`]).

use std::time::Duration;

use graphwire_core::{JsonMap, JsonValue, RawResponse};
use serde::Deserialize;

use crate::generated::*;
use crate::reports::ReportsHandler;

/// One column of a report: its name (`DeviceName`) and Intune's type for it (`String`,
/// `Int32`, `DateTime`, `Boolean`, …).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReportColumn {
    /// As the rows' objects name it.
    #[serde(rename = "Column")]
    pub name: String,
    /// As Intune writes it.
    #[serde(rename = "PropertyType")]
    pub property_type: String,
}

/// What the report actions (`reports().get_device_non_compliance_report(&body)` and the other
/// `get…Report`s) answer with, `{"TotalRowCount", "Schema": [{"Column", "PropertyType"}],
/// "Values": [[…]]}`, read into columns and rows.
///
/// ```
/// use graphwire_intune::ReportTable;
/// let table = ReportTable::from_slice(br#"{
///     "TotalRowCount": 2,
///     "Schema": [{"Column": "DeviceName", "PropertyType": "String"}, {"Column": "Count", "PropertyType": "Int32"}],
///     "Values": [["kiosk-1", 3], ["kiosk-2", 0]],
///     "SessionId": ""
/// }"#).unwrap();
/// assert_eq!(table.total_row_count(), Some(2));
/// let names: Vec<&str> = table.rows().filter_map(|row| row.str("DeviceName")).collect();
/// assert_eq!(names, ["kiosk-1", "kiosk-2"]);
/// assert_eq!(table.rows().next().unwrap().i64("Count"), Some(3));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTable {
    columns: Vec<ReportColumn>,
    rows: Vec<Vec<JsonValue>>,
    total_row_count: Option<i64>,
    session_id: Option<String>,
}

#[derive(Deserialize)]
struct WireTable {
    #[serde(rename = "Schema", default)]
    schema: Vec<ReportColumn>,
    #[serde(rename = "Values", default)]
    values: Vec<Vec<JsonValue>>,
    #[serde(rename = "TotalRowCount")]
    total_row_count: Option<i64>,
    #[serde(rename = "SessionId")]
    session_id: Option<String>,
}

impl ReportTable {
    /// Reads a report action's answer.
    pub fn from_response(response: &RawResponse) -> Result<Self, graphwire_core::DecodeError> {
        Self::from_slice(response.body())
    }

    /// Reads a report's JSON: every row must have one value per column.
    pub fn from_slice(json: &[u8]) -> Result<Self, graphwire_core::DecodeError> {
        let text = std::str::from_utf8(json)
            .map_err(|_| graphwire_core::DecodeError::new("a report answer is not UTF-8 text"))?;
        let wire: WireTable = graphwire_core::from_json(text)?;
        if let Some((index, row)) = wire
            .values
            .iter()
            .enumerate()
            .find(|(_, row)| row.len() != wire.schema.len())
        {
            return Err(graphwire_core::DecodeError::new(format!(
                "report row {index} has {} values for {} columns",
                row.len(),
                wire.schema.len()
            )));
        }
        Ok(Self {
            columns: wire.schema,
            rows: wire.values,
            total_row_count: wire.total_row_count,
            session_id: wire.session_id.filter(|s| !s.is_empty()),
        })
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[ReportColumn] {
        &self.columns
    }

    /// `TotalRowCount`: the rows of the whole report (more than these when paged with
    /// `top`/`skip`).
    pub fn total_row_count(&self) -> Option<i64> {
        self.total_row_count
    }

    /// `SessionId`, for the next page of a cached report, when there is one.
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }

    /// How many rows are here.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True for a report without rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows, each read by column name.
    pub fn rows(&self) -> impl Iterator<Item = ReportRow<'_>> {
        self.rows.iter().map(|values| ReportRow {
            columns: &self.columns,
            values,
        })
    }

    /// Every row as a `T`: a `#[graph_entity]` (or any deserializable) struct whose field
    /// names are the columns (`#[graph(rename = "DeviceName")]`), from an object of the row's
    /// columns and values. An error names the row and the member that did not fit.
    pub fn rows_as<T: serde::de::DeserializeOwned>(
        &self,
    ) -> Result<Vec<T>, graphwire_core::DecodeError> {
        self.rows()
            .enumerate()
            .map(|(index, row)| {
                let object = JsonValue::Object(row.to_object());
                serde_json::from_value(object).map_err(|e| {
                    graphwire_core::DecodeError::new(format!("report row {index}: {e}"))
                })
            })
            .collect()
    }
}

/// One row of a [`ReportTable`].
#[derive(Debug, Clone, Copy)]
pub struct ReportRow<'a> {
    columns: &'a [ReportColumn],
    values: &'a [JsonValue],
}

impl<'a> ReportRow<'a> {
    /// The value in `column`, if the report has that column.
    pub fn get(&self, column: &str) -> Option<&'a JsonValue> {
        let index = self.columns.iter().position(|c| c.name == column)?;
        self.values.get(index)
    }

    /// The value in `column` as text.
    pub fn str(&self, column: &str) -> Option<&'a str> {
        self.get(column).and_then(JsonValue::as_str)
    }

    /// The value in `column` as a whole number.
    pub fn i64(&self, column: &str) -> Option<i64> {
        self.get(column).and_then(JsonValue::as_i64)
    }

    /// The value in `column` as a boolean.
    pub fn bool(&self, column: &str) -> Option<bool> {
        self.get(column).and_then(JsonValue::as_bool)
    }

    /// The row as a JSON object, column names as keys.
    pub fn to_object(&self) -> JsonMap<String, JsonValue> {
        self.columns
            .iter()
            .map(|c| c.name.clone())
            .zip(self.values.iter().cloned())
            .collect()
    }
}

/// How [`ReportsHandler::export`] waits for a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportWait {
    /// The first wait between polls; each next one doubles, up to `longest`.
    pub first: Duration,
    /// The longest wait between two polls.
    pub longest: Duration,
    /// The most time spent waiting before [`ExportError::TimedOut`].
    pub limit: Duration,
}

impl Default for ExportWait {
    /// 1 s doubling to 30 s between polls, 10 minutes in all.
    fn default() -> Self {
        Self {
            first: Duration::from_secs(1),
            longest: Duration::from_secs(30),
            limit: Duration::from_secs(600),
        }
    }
}

/// Why an export did not end with its file.
#[derive(Debug)]
#[non_exhaustive]
pub enum ExportError {
    /// A Graph call (create, poll) or the download failed.
    Graph(graphwire_core::Error),
    /// Intune says the job failed.
    Failed {
        /// The job's id.
        job_id: String,
    },
    /// The job was not done within [`ExportWait::limit`].
    TimedOut {
        /// The job's id.
        job_id: String,
        /// Its last status.
        status: Option<DeviceManagementReportStatus>,
        /// The time waited.
        waited: Duration,
    },
    /// The job completed without a download URL, or Graph gave it no id.
    Incomplete {
        /// What was missing.
        reason: &'static str,
    },
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Graph(error) => write!(f, "report export: {error}"),
            Self::Failed { job_id } => write!(f, "report export job {job_id} failed"),
            Self::TimedOut {
                job_id,
                status,
                waited,
            } => write!(
                f,
                "report export job {job_id} was not done after {}s (last status {})",
                waited.as_secs(),
                status
                    .as_ref()
                    .map_or("unknown", graphwire_core::GraphEnum::as_graph_str)
            ),
            Self::Incomplete { reason } => write!(f, "report export: {reason}"),
        }
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Graph(error) => Some(error),
            _ => None,
        }
    }
}

impl From<graphwire_core::Error> for ExportError {
    fn from(error: graphwire_core::Error) -> Self {
        Self::Graph(error)
    }
}

/// A finished export: the job as Intune last described it, and the file it made (a zip
/// holding the CSV or JSON).
#[derive(Debug, Clone)]
pub struct ExportedReport {
    /// The completed job.
    pub job: DeviceManagementExportJob,
    /// The file's bytes, as downloaded.
    pub content: Vec<u8>,
}

impl ReportsHandler {
    /// Runs an export job to its file: creates `job` (`reportName`, `filter`, `select`,
    /// `format`), polls it with [`ExportWait::default`] until Intune says `completed`, then
    /// downloads the file from the job's `url` — Azure Blob storage with its own signature —
    /// without the Graph token.
    pub async fn export(
        &self,
        job: &DeviceManagementExportJob,
    ) -> Result<ExportedReport, ExportError> {
        self.export_waiting(job, ExportWait::default()).await
    }

    /// [`ReportsHandler::export`], waiting as `wait` says.
    pub async fn export_waiting(
        &self,
        job: &DeviceManagementExportJob,
        wait: ExportWait,
    ) -> Result<ExportedReport, ExportError> {
        let created = self.export_jobs_create(job).await?;
        let id = created.id.clone().ok_or(ExportError::Incomplete {
            reason: "Graph created the export job without an id",
        })?;
        let mut current = created;
        let mut pause = wait.first;
        let mut waited = Duration::ZERO;
        loop {
            match current.status {
                Some(DeviceManagementReportStatus::Completed) => break,
                Some(DeviceManagementReportStatus::Failed) => {
                    return Err(ExportError::Failed {
                        job_id: id.to_string(),
                    });
                }
                _ => {}
            }
            if waited + pause > wait.limit {
                return Err(ExportError::TimedOut {
                    job_id: id.to_string(),
                    status: current.status.clone(),
                    waited,
                });
            }
            tokio::time::sleep(pause).await;
            waited += pause;
            pause = (pause * 2).min(wait.longest);
            current = self.export_job_get(&id).await?;
        }
        let url = current.url.as_deref().ok_or(ExportError::Incomplete {
            reason: "the export job completed without a download url",
        })?;
        let file = graphwire_core::GraphApi::graph_client(self)
            .download(url)
            .await?;
        Ok(ExportedReport {
            content: file.body().to_vec(),
            job: current,
        })
    }
}
