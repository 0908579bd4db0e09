# Python runs this at the start of every process whose PYTHONPATH holds this folder; see analysis/network_guard.py.
from analysis import network_guard

network_guard.install_if_enabled()
