//! Collections that follow `@odata.nextLink`.

use std::collections::VecDeque;

use futures_core::Stream;
use url::Url;

use serde::Deserialize;

use crate::GraphEntity;
use crate::client::{GraphClient, display_url};
use crate::entity::decode::from_slice;
use crate::error::{Error, Result};
use crate::meta::ResponseShape;
use crate::raw_response::RawResponse;
use crate::response::FromResponse;
use crate::types::Int64;

/// One page of a collection, as Graph writes it.
#[derive(Deserialize)]
#[serde(bound = "T: serde::de::DeserializeOwned")]
struct PageBody<T> {
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
    #[serde(rename = "@odata.count")]
    count: Option<Int64>,
}

/// One page (`value`), without following `@odata.nextLink`.
impl<T: GraphEntity> FromResponse for Vec<T> {
    const SHAPE: ResponseShape = ResponseShape::Collection(T::META);

    fn from_response(response: RawResponse, _: &GraphClient) -> Result<Self> {
        Ok(from_slice::<PageBody<T>>(&response.body)?.value)
    }
}

/// Every page, fetched as they are read.
impl<T: GraphEntity> FromResponse for Pages<T> {
    const SHAPE: ResponseShape = ResponseShape::Collection(T::META);

    fn from_response(response: RawResponse, client: &GraphClient) -> Result<Self> {
        let page = from_slice::<PageBody<T>>(&response.body)?;
        Ok(Pages::new(client.clone(), page))
    }
}

/// A collection, page by page. The first page is already fetched; later pages are fetched
/// from `@odata.nextLink` (opaque, used verbatim, only on an allowed host).
///
/// `@odata.count` (ask for it with `Query::count(true)`) is kept from the first page that has it.
#[derive(Debug)]
pub struct Pages<T> {
    client: GraphClient,
    pending: Option<Vec<T>>,
    next_link: Option<String>,
    count: Option<i64>,
    pages_fetched: usize,
}

impl<T: GraphEntity> Pages<T> {
    fn new(client: GraphClient, first: PageBody<T>) -> Self {
        Self {
            client,
            pending: Some(first.value),
            next_link: first.next_link,
            count: first.count.map(|c| c.0),
            pages_fetched: 1,
        }
    }

    /// `@odata.count`, if the service sent it.
    pub fn count(&self) -> Option<i64> {
        self.count
    }

    /// Pages fetched so far.
    pub fn pages_fetched(&self) -> usize {
        self.pages_fetched
    }

    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Vec<T>>> {
        if let Some(page) = self.pending.take() {
            return Ok(Some(page));
        }
        let Some(link) = self.next_link.take() else {
            return Ok(None);
        };
        let url = Url::parse(&link).map_err(|e| Error::Refused {
            url: link.chars().take(200).collect(),
            reason: format!("@odata.nextLink is not an absolute URL: {e}"),
        })?;
        if !self.client.host_allowed(&url) {
            return Err(Error::Refused {
                url: display_url(&url),
                reason: "@odata.nextLink points to a host that is not allowed to receive the token"
                    .into(),
            });
        }
        let response = self.client.get_absolute(url).await?.error_for_status()?;
        let page = from_slice::<PageBody<T>>(&response.body)?;
        self.next_link = page.next_link;
        if self.count.is_none() {
            self.count = page.count.map(|c| c.0);
        }
        self.pages_fetched += 1;
        Ok(Some(page.value))
    }

    /// Every remaining item of every page.
    pub async fn collect_all(mut self) -> Result<Vec<T>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page);
        }
        Ok(all)
    }

    /// The items as a stream, fetching pages as it goes.
    pub fn into_stream(self) -> impl Stream<Item = Result<T>> + Send
    where
        T: Send,
    {
        futures_util::stream::try_unfold(
            (self, VecDeque::new()),
            |(mut pages, mut buffer)| async move {
                loop {
                    if let Some(item) = buffer.pop_front() {
                        return Ok(Some((item, (pages, buffer))));
                    }
                    match pages.next_page().await? {
                        Some(page) => buffer.extend(page),
                        None => return Ok(None),
                    }
                }
            },
        )
    }
}
