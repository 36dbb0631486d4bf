//! A library author's declarations outside graphwire-intune, using only graphwire-core.
use graphwire_core::{DateTimeOffset, Nullable, graph_entity, graph_enum, graph_id, graph_polymorphic};

graph_id! {
    /// Key of a widget.
    pub struct WidgetId;
}

#[graph_enum]
pub enum Shade {
    Light,
    #[graph(rename = "DARK")]
    Dark,
}

#[graph_entity(odata_type = "#contoso.widget")]
pub struct WidgetBase {
    pub id: Option<WidgetId>,
    pub shade: Option<Shade>,
    pub note: Nullable<String>,
    #[graph(read_only)]
    pub created: Option<DateTimeOffset>,
}

#[graph_entity(odata_type = "#contoso.roundWidget")]
pub struct RoundWidget {
    #[graph(base)]
    pub base: WidgetBase,
    pub radius: Option<f64>,
    pub tags: Option<Vec<String>>,
}

#[graph_polymorphic(base = WidgetBase)]
pub enum Widget {
    Round(RoundWidget),
}

fn main() {
    let w = Widget::from(RoundWidget { radius: Some(1.5), ..Default::default() });
    let _ = w.odata_type();
    let _ = Shade::Dark.to_string();
}
