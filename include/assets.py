"""The Assets that connect Rentan's DAGs (defined once, used as outlet and as schedule).

Light on purpose: DAG files import it at parse time.
"""

from airflow.sdk import Asset

STAGING_P3KE = Asset("rentan_staging_p3ke")
STAGING_PESERTA = Asset("rentan_staging_peserta")
STAGING_KLAIM = Asset("rentan_staging_klaim")
STAGING_TINJAUAN = Asset("rentan_staging_tinjauan")
STAGING = [STAGING_P3KE, STAGING_PESERTA, STAGING_KLAIM, STAGING_TINJAUAN]
KEPUTUSAN = Asset("rentan_keputusan")
WAREHOUSE = Asset("rentan_warehouse")
LAPORAN = Asset("rentan_laporan")
