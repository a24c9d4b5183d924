"""One blueprint per audience. `public` and `feedback` need no login; every other one is closed
by default through `wijkapp.access.partnership_blueprint`."""
