# Python runs this at the start of every process whose PYTHONPATH holds this folder; see compendium/network_guard.py.
from compendium import network_guard

network_guard.install_if_enabled()
