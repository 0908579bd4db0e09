"""The project's indicator ids: the unit and the meaning of each, whatever file it comes from.

The series registry (:mod:`.series`) checks its rows against these ids, and the tidy
frames (:mod:`.tidy`) label their values with them; neither imports the other for it.
"""

INDICATORS = {
    "remittances_usd": ("current US$", "personal remittances received (2013 edition: migrant remittance inflows)"),
    "remittances_paid_usd": ("current US$", "personal remittances paid"),
    "remittances_pct_gdp": ("% of GDP", "remittances_usd / gdp_usd * 100, both from the same file"),
    "remittances_from_russia_usd": (
        "current US$",
        "remittances received from the Russian Federation (KNOMAD estimate)",
    ),
    "gdp_usd": ("current US$", "GDP, current US$ (NY.GDP.MKTP.CD)"),
    "gdp_per_capita_ppp": ("constant 2021 international $", "GDP per capita, PPP (NY.GDP.PCAP.PP.KD)"),
    "population": ("persons", "total population, midyear"),
    "fdi_inflows_usd": ("current US$", "foreign direct investment, net inflows (BX.KLT.DINV.CD.WD)"),
    "fdi_outflows_usd": ("current US$", "foreign direct investment, net outflows (BM.KLT.DINV.CD.WD)"),
    "fdi_pct_gdp": ("% of GDP", "FDI net inflows as a share of GDP"),
    "exports_pct_gdp": ("% of GDP", "exports of goods and services (NE.EXP.GNFS.ZS)"),
    "oda_per_capita_usd": ("current US$ per person", "net ODA received per person (DT.ODA.ODAT.PC.ZS)"),
    "poverty_300_pct": ("% of population", "headcount below $3.00 a day, 2021 PPP (PIP)"),
    "poverty_420_pct": ("% of population", "headcount below $4.20 a day, 2021 PPP (PIP)"),
    "net_migration": ("persons", "immigrants minus emigrants (SM.POP.NETM)"),
    "inflation_pct": ("% per year", "consumer price inflation (FP.CPI.TOTL.ZG)"),
    "unemployment_pct": ("% of labour force", "unemployment rate (SL.UEM.TOTL.ZS)"),
    "birth_rate_per_1000": ("births per 1000 people", "crude birth rate (SP.DYN.CBRT.IN)"),
    "dependency_ratio_pct": ("dependents per 100 of working age", "age dependency ratio (SP.POP.DPND)"),
    "political_stability": ("standard deviations", "WGI political stability and absence of violence"),
    "migrant_stock_emigrants": (
        "persons",
        "people born in (or citizens of) the country living abroad, all destinations",
    ),
    "migrant_stock_emigrants_in_russia": ("persons", "the same, living in the Russian Federation"),
    "emigrants_in_russia_pct": ("% of emigrants", "migrant_stock_emigrants_in_russia / migrant_stock_emigrants * 100"),
    "migrant_stock_immigrants": ("persons", "international migrants living in the country, all origins"),
}
