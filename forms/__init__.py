"""All WTForms classes, one module per audience of `wijkapp/audiences/`, and for the coordinator a
package with one module per subject (as `wijkapp/audiences/coordinator/`). Shared fields and
validators live in `forms.common`. Forms declare fields and validators only; choices that depend on
data are filled by the view through the builders in `forms.choices`."""
