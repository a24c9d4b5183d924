"""All WTForms classes, one module per audience. Forms declare fields and validators only;
choices that depend on data are filled by the view through the builders in `forms.choices`."""
