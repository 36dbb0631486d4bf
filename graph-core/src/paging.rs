//! Collections that follow `@odata.nextLink`.

use std::collections::{HashSet, VecDeque};

use futures_core::Stream;
use url::Url;

use serde::Deserialize;

use crate::GraphEntity;
use crate::client::GraphClient;
use crate::entity::decode::from_slice;
use crate::error::{Error, PagingStop, Result};
use crate::meta::ResponseShape;
use crate::raw_response::RawResponse;
use crate::response::FromResponse;
use crate::types::Int64;
use crate::url_policy::display_url;

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
///
/// Paging always ends: a `@odata.nextLink` already followed in this listing is
/// [`Error::Paging`] with [`PagingStop::Loop`] (as the .NET SDK's `PageIterator` refuses it),
/// not a page read again. [`Pages::max_pages`] and [`Pages::max_items`] cap a listing whose
/// links are all new but never end.
///
/// ```no_run
/// # async fn run<T: graphwire_core::GraphEntity>(pages: graphwire_core::Pages<T>) -> graphwire_core::Result<()> {
/// // At most 50 pages or 10,000 devices; more is an error, not a silent cut.
/// let devices = pages.max_pages(50).max_items(10_000).collect_all().await?;
/// # let _ = devices; Ok(()) }
/// ```
#[derive(Debug)]
pub struct Pages<T> {
    client: GraphClient,
    pending: Option<Vec<T>>,
    next_link: Option<String>,
    count: Option<i64>,
    pages_fetched: usize,
    items_read: usize,
    /// Every `@odata.nextLink` followed so far: one seen again is a loop.
    followed: HashSet<String>,
    max_pages: Option<usize>,
    max_items: Option<usize>,
}

impl<T: GraphEntity> Pages<T> {
    fn new(client: GraphClient, first: PageBody<T>) -> Self {
        Self {
            client,
            pending: Some(first.value),
            next_link: first.next_link,
            count: first.count.map(|c| c.0),
            pages_fetched: 1,
            items_read: 0,
            followed: HashSet::new(),
            max_pages: None,
            max_items: None,
        }
    }

    /// Reads at most `pages` pages (the first included): a listing with more is
    /// [`Error::Paging`] with [`PagingStop::MaxPages`] before the next one is fetched.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Reads at most `items` items: a page that would pass the cap is [`Error::Paging`] with
    /// [`PagingStop::MaxItems`] instead of its items.
    pub fn max_items(mut self, items: usize) -> Self {
        self.max_items = Some(items);
        self
    }

    /// Counts a page's items against the cap and hands them out.
    fn take_page(&mut self, page: Vec<T>) -> Result<Option<Vec<T>>> {
        self.items_read += page.len();
        if let Some(cap) = self.max_items.filter(|cap| self.items_read > *cap) {
            self.next_link = None;
            return Err(Error::Paging(PagingStop::MaxItems(cap)));
        }
        Ok(Some(page))
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
            return self.take_page(page);
        }
        let Some(link) = self.next_link.take() else {
            return Ok(None);
        };
        if let Some(cap) = self.max_pages.filter(|cap| self.pages_fetched >= *cap) {
            return Err(Error::Paging(PagingStop::MaxPages(cap)));
        }
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
        if self.followed.contains(&link) {
            return Err(Error::Paging(PagingStop::Loop {
                next_link: display_url(&url),
                pages: self.pages_fetched,
            }));
        }
        let response = self.client.get_absolute(url).await?.error_for_status()?;
        let page = from_slice::<PageBody<T>>(&response.body)?;
        self.followed.insert(link);
        self.next_link = page.next_link;
        if self.count.is_none() {
            self.count = page.count.map(|c| c.0);
        }
        self.pages_fetched += 1;
        self.take_page(page.value)
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
