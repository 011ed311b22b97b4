using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cashout.Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CashoutsInFlightIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cashouts_MerchantId_Status_CreatedAt",
                table: "Cashouts",
                columns: new[] { "MerchantId", "Status", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cashouts_MerchantId_Status_CreatedAt",
                table: "Cashouts");
        }
    }
}
