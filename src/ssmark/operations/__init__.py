"""Operations for running ssmark for real: importing today's registry, backups and restores."""
